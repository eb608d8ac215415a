package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.Test;
import org.jwtgate.revocation.RevocationResult;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;

class ReplicationWaitTest {

    @Test
    void whenNoReplicasRequiredThenNoWaitAndDurable() {
        Connection connection = mock(Connection.class);
        RevocationResult result = new ReplicationWait(0, 200).confirm(connection);
        assertEquals(new RevocationResult(true, 0, 0), result);
        verifyNoInteractions(connection);
    }

    @Test
    void whenReplicaConfirmsThenDurableWithWaitsCount() {
        Connection connection = waitAnswering(1L);
        RevocationResult result = new ReplicationWait(1, 200).confirm(connection);
        assertEquals(new RevocationResult(true, 1, 1), result);
    }

    @Test
    void whenTooFewReplicasConfirmThenNotDurable() {
        RevocationResult result = new ReplicationWait(2, 200).confirm(waitAnswering(1L));
        assertFalse(result.durable());
        assertEquals(1, result.replicasConfirmed());
        assertEquals(2, result.replicasRequired());
    }

    @Test
    void whenWaitingThenReadTimeoutCoversReplicaTimeoutAndIsRestored() {
        Connection connection = waitAnswering(1L);
        new ReplicationWait(1, 200).confirm(connection);
        InOrder order = inOrder(connection);
        order.verify(connection).setSoTimeout(700);
        @SuppressWarnings("unchecked")
        ArgumentCaptor<CommandObject<Long>> wait = ArgumentCaptor.forClass(CommandObject.class);
        order.verify(connection).executeCommand(wait.capture());
        assertTrue(wait.getValue().getArguments().getCommand().toString().equals("WAIT"));
        order.verify(connection).setSoTimeout(500);
    }

    @SuppressWarnings("unchecked")
    private static Connection waitAnswering(long replicas) {
        Connection connection = mock(Connection.class);
        when(connection.getSoTimeout()).thenReturn(500);
        when(connection.executeCommand(any(CommandObject.class))).thenReturn(replicas);
        return connection;
    }
}
