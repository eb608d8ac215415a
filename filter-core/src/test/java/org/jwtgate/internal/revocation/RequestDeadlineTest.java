package org.jwtgate.internal.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RequestDeadlineTest {

    @Test
    void whenNoScopeIsOpenThenEachCallKeepsItsOwnDeadline() {
        assertEquals(100, RequestDeadline.of(100));
        assertEquals(200, RequestDeadline.of(200));
    }

    @Test
    void whenAScopeIsOpenThenTheFirstCallsDeadlineIsEveryLaterCallsUntilItCloses() {
        RequestDeadline.Scope scope = RequestDeadline.open();
        try {
            assertEquals(100, RequestDeadline.of(100));
            assertEquals(100, RequestDeadline.of(250), "a later call gets what the first left");
            assertEquals(50, RequestDeadline.of(50), "never later than its own");
        } finally {
            scope.close();
        }
        assertEquals(250, RequestDeadline.of(250), "the scope is gone");
    }

    @Test
    void whenAScopeIsOpenedInsideAnotherThenItJoinsItAndClosingItEndsNothing() {
        RequestDeadline.Scope outer = RequestDeadline.open();
        try {
            assertEquals(100, RequestDeadline.of(100));
            RequestDeadline.Scope inner = RequestDeadline.open();
            assertEquals(100, RequestDeadline.of(300));
            inner.close();
            assertEquals(100, RequestDeadline.of(300), "still the outer scope's");
        } finally {
            outer.close();
        }
        assertEquals(300, RequestDeadline.of(300));
    }

    @Test
    void whenACallOfTheScopeIsAnsweredThenTheNextStartsItsOwnDeadline() {
        RequestDeadline.Scope scope = RequestDeadline.open();
        try {
            assertEquals(100, RequestDeadline.of(100));
            RequestDeadline.answered();
            assertEquals(400, RequestDeadline.of(400), "the store answered: not hung, a budget of its own");
            assertEquals(400, RequestDeadline.of(900), "shared again from that call on");
        } finally {
            scope.close();
        }
        RequestDeadline.answered(); // outside a scope: nothing
        assertEquals(900, RequestDeadline.of(900));
    }

    @Test
    void whenTheClockWrapsThenTheEarlierDeadlineStillWins() {
        RequestDeadline.Scope scope = RequestDeadline.open();
        try {
            assertEquals(Long.MAX_VALUE - 10, RequestDeadline.of(Long.MAX_VALUE - 10));
            assertEquals(Long.MAX_VALUE - 10, RequestDeadline.of(Long.MIN_VALUE + 10), "past the wrap is later");
        } finally {
            scope.close();
        }
    }
}
