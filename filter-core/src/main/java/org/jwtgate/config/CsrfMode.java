package org.jwtgate.config;

/**
 * {@code csrf.mode}: how cookie-authenticated unsafe requests and WebSocket handshakes are checked.
 *
 * <pre>{@code
 * boolean checked = config.csrfMode() == CsrfMode.ORIGIN;
 * }</pre>
 *
 * @since 1.0.0
 */
public enum CsrfMode { ORIGIN, OFF }
