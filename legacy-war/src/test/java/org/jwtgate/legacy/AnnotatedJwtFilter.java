package org.jwtgate.legacy;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.annotation.WebInitParam;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.filter.JwtAuthFilter;

/**
 * JwtGate declared by annotation, as the README's {@code @WebFilter} example does, in a variant of legacy.war
 * ({@link LegacyApps#ANNOTATED}) whose web.xml declares no filter and lets the container scan its classes.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true,
        dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR}, initParams = {
        @WebInitParam(name = ConfigKeys.JWT_ISSUER, value = LegacyApps.LEGACY_ISSUER),
        @WebInitParam(name = ConfigKeys.JWT_AUDIENCE, value = LegacyApps.LEGACY_AUDIENCE),
        @WebInitParam(name = ConfigKeys.JWT_SECRET, value = "${env:APP_JWT_SECRET}"),
        @WebInitParam(name = ConfigKeys.PATHS_EXCLUDE, value = "/public/*"),
        @WebInitParam(name = ConfigKeys.REALM, value = "annotated")})
public class AnnotatedJwtFilter extends JwtAuthFilter {
}
