package io.clawmesh.coordinator.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.clawmesh.common.audit.AuditEntry;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.routing.MoveRuleRequest;
import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.routing.RuleMatch;
import io.clawmesh.common.routing.RuleRequest;
import io.clawmesh.common.routing.Strategy;
import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.TestDatabase;
import io.clawmesh.coordinator.audit.AuditQuery;
import io.clawmesh.coordinator.audit.AuditRepository;
import io.clawmesh.coordinator.audit.AuditTrail;
import io.clawmesh.coordinator.events.MeshEvent;
import io.clawmesh.coordinator.events.RecordedEvents;
import io.clawmesh.coordinator.events.RuleAdded;
import io.clawmesh.coordinator.events.RuleMoved;
import io.clawmesh.coordinator.events.RuleRemoved;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rule repository and the ordered rule list, run on every supported database by the subclasses. */
abstract class RuleRepositoryTests {

    private final MutableClock clock = new MutableClock();

    private final RecordedEvents events = new RecordedEvents();

    private TestDatabase database;

    private RuleRepository repository;

    private AuditTrail audit;

    /** A fresh, migrated database for one test; may abort the test when the database is not there. */
    protected abstract TestDatabase openDatabase();

    @BeforeEach
    void setUp() {
        this.database = openDatabase();
        this.repository = new RuleRepository(this.database.jdbcClient(), TestDatabase.jsonMapper());
        this.audit = new AuditTrail(new AuditRepository(this.database.jdbcClient()));
    }

    @AfterEach
    void tearDown() {
        // Null when the database was not there and the test was skipped.
        if (this.database != null) {
            this.database.close();
        }
    }

    @Test
    void appendWhenEveryFieldSetShouldReadBackAnEqualRule() {
        RoutingRule rule = new RoutingRule(
                "rule-000000000001",
                new RuleMatch(true, "linux", "docker", null, "amd64", List.of("eu", "fast"), 16),
                "linux-gpu",
                Strategy.WEIGHTED);

        this.repository.append(rule, this.clock.instant());

        assertThat(this.repository.findAllInOrder()).containsExactly(rule);
    }

    @Test
    void appendWhenWildcardShouldReadBackTheWildcard() {
        RoutingRule rule = new RoutingRule("rule-000000000001", RuleMatch.any(), null, Strategy.ROUND_ROBIN);

        this.repository.append(rule, this.clock.instant());

        RoutingRule read = this.repository.findAllInOrder().getFirst();
        assertThat(read).isEqualTo(rule);
        assertThat(read.match().isWildcard()).isTrue();
    }

    @Test
    void appendShouldStoreOnlyTheSetMatchFieldsInSnakeCase() {
        RoutingRule rule =
                new RoutingRule("rule-000000000001", RoutingFixtures.gpuFalseOnLinux(), null, Strategy.LEAST_BUSY);

        this.repository.append(rule, this.clock.instant());

        String stored = this.database
                .jdbcClient()
                .sql("SELECT match_json FROM routing_rules")
                .query(String.class)
                .single();
        assertThat(TestDatabase.jsonMapper().readTree(stored))
                .isEqualTo(TestDatabase.jsonMapper().readTree("{\"requires_gpu\": false, \"requires_os\": \"linux\"}"));
    }

    @Test
    void appendWhenEveryStrategyShouldReadEachBack() {
        for (Strategy strategy : Strategy.values()) {
            this.repository.append(
                    new RoutingRule("rule-" + strategy.wireName(), RuleMatch.any(), null, strategy),
                    this.clock.instant());
        }

        assertThat(this.repository.findAllInOrder())
                .extracting(RoutingRule::strategy)
                .containsExactly(Strategy.values());
    }

    @Test
    void appendWhenSeveralShouldKeepAppendOrderNotIdOrder() {
        appendRules("rule-c", "rule-a", "rule-b");

        assertThat(ids()).containsExactly("rule-c", "rule-a", "rule-b");
    }

    @Test
    void reorderShouldStoreTheGivenOrder() {
        appendRules("rule-a", "rule-b", "rule-c");

        this.repository.reorder(List.of("rule-c", "rule-a", "rule-b"));

        assertThat(ids()).containsExactly("rule-c", "rule-a", "rule-b");
    }

    @Test
    void deleteWhenRuleExistsShouldRemoveItOnceAndKeepTheOrderOfTheRest() {
        appendRules("rule-a", "rule-b", "rule-c");

        assertThat(this.repository.delete("rule-b")).isTrue();
        assertThat(this.repository.delete("rule-b")).isFalse();
        appendRules("rule-d");

        assertThat(ids()).containsExactly("rule-a", "rule-c", "rule-d");
    }

    @Test
    void addWhenValidShouldAppendTheCanonicalRule() {
        RoutingRules rules = new RoutingRules(this.repository, this.clock, this.events, this.audit);
        rules.add(new RuleRequest(RuleMatch.any(), null, null));

        RoutingRule added = rules.add(new RuleRequest(
                new RuleMatch(null, null, null, null, null, List.of("eu", "eu"), null), null, Strategy.STICKY));

        assertThat(added.id()).matches("rule-[0-9a-f]{12}");
        assertThat(added.match().requiresTags()).containsExactly("eu");
        assertThat(rules.list()).hasSize(2).last().isEqualTo(added);
        assertThat(this.repository.findAllInOrder()).isEqualTo(rules.list());
        assertThat(this.events.of(RuleAdded.class))
                .extracting(RuleAdded::position)
                .containsExactly(0, 1);
        assertThat(this.events.of(RuleAdded.class).get(1).rule()).isEqualTo(added);
    }

    @Test
    void addWhenInvalidShouldStoreNothing() {
        RoutingRules rules = new RoutingRules(this.repository, this.clock, this.events, this.audit);

        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> rules.add(new RuleRequest(RoutingFixtures.emptyMatch(), null, null)));
        assertThat(this.repository.findAllInOrder()).isEmpty();
        assertThat(this.events.of(MeshEvent.class)).isEmpty();
    }

    @Test
    void moveWhenToTheFrontShouldEvaluateItFirst() {
        appendRules("rule-a", "rule-b", "rule-c");
        RoutingRules rules = new RoutingRules(this.repository, this.clock, this.events, this.audit);

        List<RoutingRule> moved = rules.move("rule-c", new MoveRuleRequest(0));

        assertThat(moved).extracting(RoutingRule::id).containsExactly("rule-c", "rule-a", "rule-b");
        assertThat(ids()).containsExactly("rule-c", "rule-a", "rule-b");
        assertThat(rules.list()).isEqualTo(moved);
        assertThat(this.events.of(RuleMoved.class)).singleElement().satisfies((event) -> {
            assertThat(event.rule().id()).isEqualTo("rule-c");
            assertThat(event.position()).isZero();
        });
    }

    @Test
    void moveWhenPastTheEndShouldPutItLast() {
        appendRules("rule-a", "rule-b", "rule-c");
        RoutingRules rules = new RoutingRules(this.repository, this.clock, this.events, this.audit);

        rules.move("rule-a", new MoveRuleRequest(99));

        assertThat(ids()).containsExactly("rule-b", "rule-c", "rule-a");
    }

    @Test
    void moveWhenIntoTheMiddleShouldShiftTheOthers() {
        appendRules("rule-a", "rule-b", "rule-c", "rule-d");
        RoutingRules rules = new RoutingRules(this.repository, this.clock, this.events, this.audit);

        rules.move("rule-a", new MoveRuleRequest(2));

        assertThat(ids()).containsExactly("rule-b", "rule-c", "rule-a", "rule-d");
    }

    @Test
    void moveWhenRuleUnknownOrPositionInvalidShouldRefuseAndKeepTheOrder() {
        appendRules("rule-a", "rule-b");
        RoutingRules rules = new RoutingRules(this.repository, this.clock, this.events, this.audit);

        assertThatExceptionOfType(RuleNotFoundException.class)
                .isThrownBy(() -> rules.move("rule-x", new MoveRuleRequest(0)));
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> rules.move("rule-b", new MoveRuleRequest(-1)))
                .withMessage("position is required and must be 0 or more (0 is evaluated first)");
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> rules.move("rule-b", new MoveRuleRequest(null)));
        assertThat(ids()).containsExactly("rule-a", "rule-b");
        assertThat(this.events.of(MeshEvent.class)).isEmpty();
    }

    @Test
    void deleteWhenRuleUnknownShouldThrowNotFound() {
        RoutingRules rules = new RoutingRules(this.repository, this.clock, this.events, this.audit);

        assertThatExceptionOfType(RuleNotFoundException.class).isThrownBy(() -> rules.delete("rule-x"));
        assertThat(this.events.of(MeshEvent.class)).isEmpty();
    }

    @Test
    void deleteWhenRuleKnownShouldPublishTheRemovedRule() {
        appendRules("rule-a", "rule-b");
        RoutingRules rules = new RoutingRules(this.repository, this.clock, this.events, this.audit);

        rules.delete("rule-a");

        assertThat(ids()).containsExactly("rule-b");
        assertThat(this.events.of(RuleRemoved.class))
                .singleElement()
                .extracting((event) -> event.rule().id())
                .isEqualTo("rule-a");
    }

    @Test
    void addMoveAndDeleteShouldEachLeaveAnAuditEntry() {
        appendRules("rule-a");
        RoutingRules rules = new RoutingRules(this.repository, this.clock, this.events, this.audit);

        RoutingRule added = rules.add(new RuleRequest(RoutingFixtures.gpuFalseOnLinux(), "mac-mini", null));
        rules.move(added.id(), new MoveRuleRequest(0));
        rules.delete(added.id());

        List<AuditEntry> entries = this.audit.list(AuditQuery.ALL, null, 10).entries();
        assertThat(entries).extracting(AuditEntry::action).containsExactly("rule.delete", "rule.update", "rule.create");
        assertThat(entries).extracting(AuditEntry::target).containsOnly(added.id());
        assertThat(entries).extracting(AuditEntry::actor).containsOnly("system");
        assertThat(entries.getLast().detail()).contains("mac-mini");
    }

    @Test
    void addWhenInvalidShouldLeaveNoAuditEntry() {
        RoutingRules rules = new RoutingRules(this.repository, this.clock, this.events, this.audit);

        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> rules.add(new RuleRequest(RoutingFixtures.emptyMatch(), null, null)));

        assertThat(this.audit.list(AuditQuery.ALL, null, 10).entries()).isEmpty();
    }

    @Test
    void reloadWhenAnotherReplicaChangedTheRulesShouldSeeTheChange() {
        RoutingRules rules = new RoutingRules(this.repository, this.clock, this.events, this.audit);
        appendRules("rule-a");
        assertThat(rules.list()).isEmpty();

        rules.reload();

        assertThat(rules.list()).extracting(RoutingRule::id).containsExactly("rule-a");
    }

    private void appendRules(String... ids) {
        for (String id : ids) {
            this.repository.append(
                    new RoutingRule(id, RuleMatch.any(), null, Strategy.LEAST_BUSY), this.clock.instant());
        }
    }

    private List<String> ids() {
        return this.repository.findAllInOrder().stream().map(RoutingRule::id).toList();
    }
}
