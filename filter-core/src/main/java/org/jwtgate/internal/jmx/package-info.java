/**
 * Internal: the MBeans {@code org.jwtgate:type=…,filter=<name>} over one JwtGate's metrics and health,
 * registered on the platform MBean server with no dependency. No compatibility promise (the MBean
 * names and attributes are documented in docs/operations.md).
 *
 * <p>Where it sits in a request's path: outside it — JMX clients read what the requests counted.
 */
package org.jwtgate.internal.jmx;
