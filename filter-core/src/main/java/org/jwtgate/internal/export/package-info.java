/**
 * Internal: starts and stops the exporters of one filter or module instance — JMX MBeans and, when
 * Micrometer is present, its meters — as {@code metrics.jmx} and {@code metrics.micrometer} say. No
 * compatibility promise.
 *
 * <p>Where it sits in a request's path: outside it — started with the filter, stopped with it.
 */
package org.jwtgate.internal.export;
