package io.clawmesh.coordinator.registry;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code node_token_rotations} table (ADR 0014): per node, the hashes of a token issued but not used yet and of
 * the token a rotation replaced, with the overlap it keeps. Every write is a compare-and-set on the hashes, so replicas
 * sharing the database agree on one outcome.
 */
@Repository
public class NodeTokenRepository {

    private static final String COLUMNS =
            "r.node_id, r.current_hash, r.rotated_at, r.pending_hash," + " r.previous_hash, r.previous_expires_at";

    private final JdbcClient jdbc;

    private final TransactionTemplate transaction;

    public NodeTokenRepository(JdbcClient jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** The node's rotation state, when there is one for the node's current token. */
    public Optional<Rotation> find(String nodeId, String currentHash) {
        return this.jdbc
                .sql("SELECT " + COLUMNS + " FROM node_token_rotations r WHERE r.node_id = ? AND r.current_hash = ?")
                .params(nodeId, currentHash)
                .query(NodeTokenRepository::map)
                .optional();
    }

    /**
     * The rotation whose pending or previous token has {@code hash}, if it still belongs to its node's current token
     * (a registration since then made it stale).
     */
    public Optional<Rotation> findByOtherHash(String hash) {
        return this.jdbc
                .sql("SELECT " + COLUMNS + " FROM node_token_rotations r JOIN nodes n ON n.id = r.node_id"
                        + " AND n.token_hash = r.current_hash WHERE r.pending_hash = ? OR r.previous_hash = ?")
                .params(hash, hash)
                .query(NodeTokenRepository::map)
                .optional();
    }

    /** Starts following the node's current token: its interval runs from {@code now}, nothing pending. */
    public void track(String nodeId, String currentHash, Instant now) {
        this.transaction.executeWithoutResult((status) -> {
            this.jdbc
                    .sql("DELETE FROM node_token_rotations WHERE node_id = ?")
                    .param(nodeId)
                    .update();
            this.jdbc
                    .sql("INSERT INTO node_token_rotations (node_id, current_hash, rotated_at) VALUES (?, ?, ?)")
                    .params(nodeId, currentHash, utc(now))
                    .update();
        });
    }

    /** Records a token issued in a heartbeat reply, replacing one issued before and never used. */
    public boolean issue(String nodeId, String currentHash, String pendingHash, Instant now) {
        return this.jdbc
                        .sql("UPDATE node_token_rotations SET pending_hash = ?, pending_issued_at = ?"
                                + " WHERE node_id = ? AND current_hash = ?")
                        .params(pendingHash, utc(now), nodeId, currentHash)
                        .update()
                == 1;
    }

    /**
     * Makes the pending token the node's token: the node row and the rotation row change together, or neither does
     * (another replica promoted it first, or the node registered again).
     *
     * @return whether this call promoted it
     */
    public boolean promote(Rotation rotation, Instant now, Instant previousUntil) {
        String pending = rotation.pendingHash();
        if (pending == null) {
            return false;
        }
        return Boolean.TRUE.equals(
                this.transaction.execute((status) -> promoteInTransaction(rotation, pending, now, previousUntil)));
    }

    private boolean promoteInTransaction(Rotation rotation, String pending, Instant now, Instant previousUntil) {
        int nodes = this.jdbc
                .sql("UPDATE nodes SET token_hash = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ? AND token_hash = ?")
                .params(pending, rotation.nodeId(), rotation.currentHash())
                .update();
        if (nodes != 1) {
            return false;
        }
        int rows = this.jdbc
                .sql("UPDATE node_token_rotations SET previous_hash = current_hash, previous_expires_at = ?,"
                        + " current_hash = pending_hash, rotated_at = ?, pending_hash = NULL, pending_issued_at = NULL"
                        + " WHERE node_id = ? AND current_hash = ? AND pending_hash = ?")
                .params(utc(previousUntil), utc(now), rotation.nodeId(), rotation.currentHash(), pending)
                .update();
        if (rows != 1) {
            throw new ConcurrentRotationException(rotation.nodeId());
        }
        return true;
    }

    private static Rotation map(ResultSet rs, int row) throws SQLException {
        OffsetDateTime expires = rs.getObject("previous_expires_at", OffsetDateTime.class);
        return new Rotation(
                rs.getString("node_id"),
                rs.getString("current_hash"),
                rs.getObject("rotated_at", OffsetDateTime.class).toInstant(),
                rs.getString("pending_hash"),
                rs.getString("previous_hash"),
                (expires != null) ? expires.toInstant() : null);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /**
     * One node's rotation state.
     *
     * @param currentHash the hash of the node's token this row belongs to
     * @param rotatedAt when that token took effect (or when the coordinator started following it)
     * @param pendingHash a token issued in a heartbeat reply and not used yet
     * @param previousHash the token the last rotation replaced
     * @param previousExpiresAt until when {@code previousHash} is accepted
     */
    public record Rotation(
            String nodeId,
            String currentHash,
            Instant rotatedAt,
            @Nullable String pendingHash,
            @Nullable String previousHash,
            @Nullable Instant previousExpiresAt) {}

    /** The rotation row changed under a promotion that had already moved the node row: rolls both back. */
    static final class ConcurrentRotationException extends RuntimeException {

        ConcurrentRotationException(String nodeId) {
            super("the token rotation of node " + nodeId + " changed meanwhile");
        }
    }
}
