package org.jwtgate.config;

/** {@code csrf.mode}: how cookie-authenticated unsafe requests are checked. */
public enum CsrfMode { ORIGIN, OFF }
