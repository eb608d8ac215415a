package org.jwtgate.internal.token;

/** Where a token was found. Header tokens are exempt from CSRF checks: browsers never add them by themselves. */
public enum TokenSource { HEADER, COOKIE }
