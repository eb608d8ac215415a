/**
 * Internal (sample): accounts, password hashing (PBKDF2) and login throttling, kept in Redis.
 *
 * <p>Where it sits in a request's path: behind {@code /login}, a public path the filter lets through.
 */
package org.jwtgate.sample.account;
