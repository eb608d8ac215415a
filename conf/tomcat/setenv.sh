#!/bin/sh
# $CATALINA_BASE/bin/setenv.sh: catalina.sh sources it at every start (chmod not needed).
#
# These variables reach EVERY web application of this Tomcat: set here only what all of them
# share (the revocation store). Per-application settings (jwt.issuer, jwt.audience, paths.*)
# belong in each application's WEB-INF/web.xml. An unknown JWTGATE_* variable stops every
# JwtGate filter of the server, so check spelling with:
#   bin/jwtgate check-config webapps/app/WEB-INF/web.xml     (the distribution's CLI launcher)

# The Redis Cluster shared by every server of the fleet (seed nodes; the rest is discovered).
export JWTGATE_REVOCATION_STORE=redis-cluster
export JWTGATE_REDIS_NODES="${JWTGATE_REDIS_NODES:-redis-1.example.internal:6379,redis-2.example.internal:6379,redis-3.example.internal:6379}"

# Tomcat writes the first request header line it cannot parse since its start (an Authorization
# header with a control character, from a broken client or anyone) whole into its log at INFO, the
# bearer token in it included. Such lines, of any client's data, at DEBUG only:
CATALINA_OPTS="${CATALINA_OPTS:-} -Dorg.apache.juli.logging.UserDataHelper.CONFIG=DEBUG_ALL"
export CATALINA_OPTS

# Redis 6+ ACL user, password and TLS. The ${file:…} reference is resolved by JwtGate, so the
# password itself never sits in the process environment. Whoever reaches the Redis nodes can delete a
# revocation (the revoked token is then accepted): switch these on, or keep Redis reachable by the
# application servers alone.
#export JWTGATE_REDIS_USER=jwtgate
#export JWTGATE_REDIS_PASSWORD='${file:/etc/jwtgate/redis-password}'
#export JWTGATE_REDIS_SSL=true
# With TLS and a private CA, the JVM must trust it (docs/revocation.md, "Redis over TLS"): a copy of the
# JDK's lib/security/cacerts with the CA imported, since the store serves every TLS client of the JVM.
#CATALINA_OPTS="$CATALINA_OPTS -Djavax.net.ssl.trustStore=/etc/jwtgate/cacerts-with-redis-ca -Djavax.net.ssl.trustStorePassword=changeit"

# The HMAC secret an application's web.xml refers to as ${env:APP_JWT_SECRET}, read from a
# file only root and the tomcat user can read (create it with the CLI's gen-secret).
APP_JWT_SECRET_FILE="${APP_JWT_SECRET_FILE:-/etc/jwtgate/jwt-secret}"
if [ -z "${APP_JWT_SECRET:-}" ] && [ -r "$APP_JWT_SECRET_FILE" ]; then
  APP_JWT_SECRET="$(cat "$APP_JWT_SECRET_FILE")"
  export APP_JWT_SECRET
elif [ -z "${APP_JWT_SECRET:-}" ] && [ -e "$APP_JWT_SECRET_FILE" ]; then
  echo "setenv.sh: $APP_JWT_SECRET_FILE exists but $(id -un) cannot read it: APP_JWT_SECRET is not set" >&2
fi
