/**
 * Internal (sample): the servlets — {@code /login}, {@code /refresh}, {@code /logout},
 * {@code /api/me}, {@code /admin/revoke}, {@code /admin/status}, {@code /health}, the page's files — and the
 * security headers.
 *
 * <p>Where it sits in a request's path: after the filter, which has authenticated the request (or
 * let a public path through).
 */
package org.jwtgate.sample.web;
