package io.clawmesh.common.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTests {

    @ParameterizedTest
    @ValueSource(strings = {"a", "mac-mini", "gpu_box.01", "A-Z.a_z-09"})
    void isValidWhenAllowedCharactersShouldAccept(String name) {
        assertThat(Names.isValid(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "two words", "slash/name", "colon:name", "ünï", "tab\tname"})
    void isValidWhenOtherCharactersShouldRefuse(String name) {
        assertThat(Names.isValid(name)).isFalse();
    }

    @Test
    void isValidWhenLengthOnTheBoundShouldAcceptAndOneMoreRefuse() {
        assertThat(Names.isValid("n".repeat(63))).isTrue();
        assertThat(Names.isValid("n".repeat(64))).isFalse();
        assertThat(Names.isValid(null)).isFalse();
    }

    @Test
    void requireNameWhenMissingShouldSayItIsRequired() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> Names.requireName("name", null))
                .withMessage("name is required");
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> Names.requireName("name", ""))
                .withMessage("name is required");
    }

    @Test
    void requireNameWhenInvalidShouldQuoteItAndTheRule() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> Names.requireName("name", "mac mini"))
                .withMessage("name 'mac mini' must be 1-63 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
    }

    @Test
    void requireNameWhenHugeShouldAbbreviateItInTheMessage() {
        String huge = "x ".repeat(500);

        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> Names.requireName("name", huge))
                .satisfies((ex) -> assertThat(ex.getMessage()).hasSizeLessThan(200))
                .withMessageContaining("...'");
    }

    @Test
    void requireNameWhenValidShouldReturnIt() {
        assertThat(Names.requireName("name", "mac-mini")).isEqualTo("mac-mini");
    }

    @Test
    void requireLabelsWhenNullShouldAnswerEmpty() {
        assertThat(Names.requireLabels("tags", null)).isEmpty();
    }

    @Test
    void requireLabelsWhenDuplicatesShouldKeepTheFirstOfEach() {
        assertThat(Names.requireLabels("tags", List.of("b", "a", "b", "c", "a")))
                .containsExactly("b", "a", "c");
    }

    @Test
    void requireLabelsWhenAnEntryIsBadShouldNameTheList() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> Names.requireLabels("capabilities.tags", List.of("ok", "bad tag")))
                .withMessageStartingWith("capabilities.tags entry 'bad tag'");
    }

    @Test
    void requireLabelsWhenAnEntryIsNullShouldRefuse() {
        List<String> tags = new ArrayList<>(Arrays.asList("ok", null));

        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> Names.requireLabels("tags", tags))
                .withMessage("tags entry is required");
    }

    @Test
    void requireLabelsWhenMoreThanTheLimitShouldRefuseAndAtTheLimitAccept() {
        List<String> atLimit = new ArrayList<>();
        for (int i = 0; i < Names.MAX_LABELS; i++) {
            atLimit.add("t" + i);
        }
        assertThat(Names.requireLabels("tags", atLimit)).hasSize(64);
        atLimit.add("one-more");
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> Names.requireLabels("tags", atLimit))
                .withMessage("tags has 65 entries; at most 64 are allowed");
    }
}
