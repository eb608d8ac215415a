package org.jwtgate.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LogTest {

    @Test
    void whenPlaceholdersAndArgumentsMatchThenEachIsReplacedInOrder() {
        assertEquals("a=1, b=two", Log.format("a={}, b={}", 1, "two"));
    }

    @Test
    void whenFewerArgumentsThanPlaceholdersThenTheRestStay() {
        assertEquals("a=1, b={}", Log.format("a={}, b={}", 1));
    }

    @Test
    void whenMoreArgumentsThanPlaceholdersThenTheExtraAreIgnored() {
        assertEquals("only 1", Log.format("only {}", 1, new IllegalStateException("cause")));
    }

    @Test
    void whenNoArgumentsThenThePatternIsTheMessage() {
        assertEquals("plain {}", Log.format("plain {}"));
    }
}
