#!/usr/bin/env bash
# services.sh - Reprise's local backing services, real processes bound to 127.0.0.1 only (no Docker):
#   PostgreSQL (Debian's binaries), Kafka 4.4 in KRaft mode (jars from Maven Central), S3Proxy 4.1 (S3 API).
#
#   scripts/services.sh start    # start whatever is not running yet and wait until each one answers
#   scripts/services.sh status   # one line per service; exit status 0 only when all are up
#   scripts/services.sh env      # export lines for the application and the tests (with the Kafka passwords:
#                                # REPRISE_KAFKA_USERNAME/PASSWORD, REPRISE_KAFKA_AGENT_USERNAME/PASSWORD)
#   scripts/services.sh stop     # stop what this script started (never a PostgreSQL it merely found)
#
# Overrides: REPRISE_PG_PORT (5432), REPRISE_KAFKA_PORT (19092), REPRISE_KAFKA_CONTROLLER_PORT (19093),
# REPRISE_S3_PORT (19000), REPRISE_SERVICES_DIR (state), XDG_CACHE_HOME (jar cache),
# REPRISE_SERVICES_TIMEOUT (seconds to wait for each service, 90). See docs/local-services.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=${REPRISE_SERVICES_DIR:-$HOME/.reprise/services}
[[ $STATE == /* ]] || STATE=$PWD/$STATE
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/reprise
TIMEOUT=${REPRISE_SERVICES_TIMEOUT:-90}

PG_PORT=${REPRISE_PG_PORT:-5432}
PG_DIR=$STATE/postgres
PG_DATA=$PG_DIR/data          # owned by the OS user running the server (postgres when we are root)
PG_SOCKETS=$PG_DIR/run        # unix socket directory
PG_LOG=$PG_DIR/log/postgres.log
PG_USER=reprise PG_PASSWORD=reprise PG_DATABASES=(reprise reprise_test)
# The role the orchestrator runs as: no superuser, no CREATEROLE, owns nothing; migrations (run as $PG_USER, the
# owner) grant it what it needs and only INSERT/SELECT on audit_log (V13, docs/security.md#database-roles).
PG_APP_USER=reprise_app PG_APP_PASSWORD=reprise-app

KAFKA_PORT=${REPRISE_KAFKA_PORT:-19092}
KAFKA_CONTROLLER_PORT=${REPRISE_KAFKA_CONTROLLER_PORT:-19093}
KAFKA_DIR=$STATE/kafka
KAFKA_LIB=$CACHE/kafka/lib

S3_PORT=${REPRISE_S3_PORT:-19000}
S3_DIR=$STATE/s3proxy
S3_LIB=$CACHE/s3proxy/lib
S3_ACCESS_KEY=reprise S3_SECRET_KEY=reprise-secret

STARTED=()  # services this invocation started: stopped again if a later step fails
PG_MODE=""  # set by pg_preflight

log() { echo "[services] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# Prints the last lines of each log file given, after a headline.
show_logs() {
  local f
  for f in "$@"; do
    [[ -s $f ]] || continue
    log "---- last lines of $f ----"
    tail -n 25 "$f" >&2
  done
}

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# A live process whose command line contains the marker (guards against a reused pid).
cmdline_has() { # pid marker
  [[ -r /proc/$1/cmdline ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF -- "$2"
}

pid_alive() { # pidfile marker
  [[ -s $1 ]] && cmdline_has "$(<"$1")" "$2"
}

stop_pid() { # name pidfile marker
  local name=$1 pidfile=$2 marker=$3 pid i
  if ! pid_alive "$pidfile" "$marker"; then
    rm -f "$pidfile"
    return 0
  fi
  pid=$(<"$pidfile")
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) did not stop within 30 s: killing it"
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  log "$name stopped (pid $pid)"
}

require_tools() {
  command -v java >/dev/null || die "java (17+) is required: apt-get install default-jdk-headless"
  command -v curl >/dev/null || die "curl is required: apt-get install curl"
}

apt_install() {
  [[ $EUID -eq 0 ]] || die "missing packages ($*): install them with apt-get (needs root)"
  export DEBIAN_FRONTEND=noninteractive
  log "apt-get install $*"
  if ! apt-get install -y -qq --no-install-recommends "$@" >&2; then
    log "install failed: running apt-get update first"
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "$@" >&2
  fi
}

# Gathers a service's jars into $CACHE/NAME/lib with Maven, from scripts/services/NAME/pom.xml.
# The POM's checksum is kept beside the jars: editing the POM gathers them again.
fetch_jars() { # name
  local name=$1 pom=$ROOT/scripts/services/$1/pom.xml dir=$CACHE/$1 sum t0
  sum=$(sha256sum "$pom" | cut -d' ' -f1)
  if [[ -d $dir/lib && -f $dir/pom.sha256 && $(<"$dir/pom.sha256") == "$sum" ]]; then
    return 0
  fi
  t0=$(now)
  log "$name: gathering jars with Maven into $dir/lib (once)"
  mkdir -p "$dir"
  rm -rf "$dir/lib.tmp"
  if ! "$ROOT/mvnw" -B -q -f "$pom" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$dir/lib.tmp" >"$dir/fetch.log" 2>&1; then
    show_logs "$dir/fetch.log"
    die "$name: Maven could not gather the jars (full log: $dir/fetch.log)"
  fi
  rm -rf "${dir:?}/lib"
  mv "$dir/lib.tmp" "$dir/lib"
  echo "$sum" >"$dir/pom.sha256"
  log "$name: $(find "$dir/lib" -name '*.jar' | wc -l) jars, $(du -sh "$dir/lib" | cut -f1) in $(since "$t0") s"
}

# ---------------------------------------------------------------------------------------------- PostgreSQL

pg_bin() {
  local d newest=""
  for d in /usr/lib/postgresql/*/bin; do
    [[ -x $d/postgres ]] && newest=$(printf '%s\n%s\n' "$newest" "$d" | sort -V | tail -n 1)
  done
  echo "$newest"
}

# Installs Debian's PostgreSQL if no server binaries exist. The package would create and start its own
# "main" cluster on 5432 (with peer/password auth); a drop-in stops that for the duration of the install.
pg_ensure_binaries() {
  [[ -n $(pg_bin) ]] && return 0
  local dropin=/etc/postgresql-common/createcluster.d/00-reprise-no-main-cluster.conf rc=0
  if [[ $EUID -eq 0 ]]; then
    mkdir -p "${dropin%/*}"
    echo "create_main_cluster = false" >"$dropin"
  fi
  apt_install postgresql || rc=$?
  rm -f "$dropin"
  [[ ! -d ${dropin%/*} ]] || rmdir --ignore-fail-on-non-empty "${dropin%/*}"
  ((rc == 0)) || die "could not install postgresql"
  [[ -n $(pg_bin) ]] || die "postgresql installed, but no server binaries in /usr/lib/postgresql/*/bin"
}

# Runs a command as the OS user that owns the cluster: PostgreSQL refuses to run as root.
as_pg() {
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

pg_pid() { [[ -s $PG_DATA/postmaster.pid ]] && head -n 1 "$PG_DATA/postmaster.pid"; }
pg_ours() { local pid; pid=$(pg_pid) && [[ -n $pid ]] && cmdline_has "$pid" "-D $PG_DATA"; }
pg_our_port() { sed -n 4p "$PG_DATA/postmaster.pid"; }
pg_ready() { "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2; }
psql_admin() {
  PGCONNECT_TIMEOUT=5 "$(pg_bin)/psql" -w -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"
}

# The postgres OS user must be able to reach its data directory: as root under /root (mode 700) it cannot.
pg_grant_traverse() {
  local d="" part
  [[ $EUID -eq 0 ]] || return 0
  local -a parts
  IFS=/ read -ra parts <<<"${PG_DIR#/}"
  for part in "${parts[@]}"; do  # top-down: a blocked parent hides whether its children are reachable
    d=$d/$part
    if [[ -d $d ]] && ! runuser -u postgres -- test -x "$d"; then
      chmod o+x "$d"
      log "postgres: granted traverse permission (o+x, no listing) on $d so the postgres user reaches $PG_DIR"
    fi
  done
}

pg_init() {
  local owner=postgres
  [[ $EUID -eq 0 ]] || owner=$(id -un)
  mkdir -p "$PG_DIR"
  pg_grant_traverse
  install -d -m 700 -o "$owner" "$PG_DATA" "$PG_SOCKETS" "$(dirname "$PG_LOG")"
  [[ -f $PG_DATA/PG_VERSION ]] && return 0
  log "postgres: initialising a cluster in $PG_DATA"
  if ! as_pg "$(pg_bin)/initdb" -D "$PG_DATA" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
      >"$PG_DIR/initdb.log" 2>&1; then
    show_logs "$PG_DIR/initdb.log"
    die "postgres: initdb failed"
  fi
}

pg_ensure_databases() {
  psql_admin <<SQL
DO \$\$ BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
    ALTER ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
  ELSE
    CREATE ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
  END IF;
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_APP_USER') THEN
    ALTER ROLE $PG_APP_USER LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$PG_APP_PASSWORD';
  ELSE
    CREATE ROLE $PG_APP_USER LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$PG_APP_PASSWORD';
  END IF;
END \$\$;
SELECT format('CREATE DATABASE %I OWNER $PG_USER', d)
  FROM unnest(string_to_array('${PG_DATABASES[*]}', ' ')) AS d
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = d) \gexec
SQL
}

# Decides what start has to do with PostgreSQL, before anything is launched: PG_MODE=ours (our cluster
# already runs), found (another server we can administer) or new (start our own cluster).
pg_preflight() {
  local i
  pg_ensure_binaries
  if pg_ours; then
    [[ $(pg_our_port) == "$PG_PORT" ]] ||
      die "postgres: our cluster already runs on port $(pg_our_port), not $PG_PORT: run '$0 stop' first"
    PG_MODE=ours
  elif port_open "$PG_PORT"; then
    for ((i = 0; i < 10; i++)); do pg_ready && break; sleep 0.5; done
    pg_ready || die "postgres: 127.0.0.1:$PG_PORT is taken by something that is not a PostgreSQL accepting" \
      "connections. Free the port or set REPRISE_PG_PORT."
    psql_admin -c 'SELECT 1' >/dev/null 2>&1 || die "postgres: a PostgreSQL already listens on" \
      "127.0.0.1:$PG_PORT but cannot be administered as superuser 'postgres' without a password (no trust" \
      "auth for 127.0.0.1). Stop it, allow trust for postgres@127.0.0.1 in its pg_hba.conf, or set" \
      "REPRISE_PG_PORT to a free port so that this script runs its own."
    PG_MODE=found
  else
    PG_MODE=new
  fi
}

pg_start() {
  local t0
  t0=$(now)
  case $PG_MODE in
    ours) log "postgres: already running (pid $(pg_pid), 127.0.0.1:$PG_PORT)" ;;
    found) log "postgres: using the server already listening on 127.0.0.1:$PG_PORT (not ours: 'stop' leaves it alone)" ;;
    new)
      pg_init
      if ! as_pg "$(pg_bin)/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$TIMEOUT" \
          -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k '$PG_SOCKETS'" start >"$PG_DIR/pg_ctl.log" 2>&1; then
        show_logs "$PG_DIR/pg_ctl.log" "$PG_LOG"
        if pg_ours; then as_pg "$(pg_bin)/pg_ctl" -D "$PG_DATA" -m immediate stop >/dev/null 2>&1 || true; fi
        die "postgres: did not start within $TIMEOUT s"
      fi
      STARTED+=(postgres)
      log "postgres: started (pid $(pg_pid), 127.0.0.1:$PG_PORT, version $(basename "$(dirname "$(pg_bin)")")) in $(since "$t0") s"
      ;;
  esac
  pg_ensure_databases || die "postgres: could not create role '$PG_USER' and databases ${PG_DATABASES[*]}"
}

pg_stop() {
  if pg_ours; then
    as_pg "$(pg_bin)/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
    log "postgres stopped"
  elif [[ -n $(pg_bin) ]] && pg_ready; then
    log "postgres on 127.0.0.1:$PG_PORT was not started by this script: left running"
  fi
}

pg_status() {
  if pg_ours; then
    echo "postgres  up    127.0.0.1:$(pg_our_port)  pid $(pg_pid), data $PG_DATA"
  elif [[ -n $(pg_bin) ]] && pg_ready; then
    echo "postgres  up    127.0.0.1:$PG_PORT  found running, not started by services.sh"
  else
    echo "postgres  down  127.0.0.1:$PG_PORT"
    return 1
  fi
}

# ---------------------------------------------------------------------------------------------- Kafka

KAFKA_MARKER="kafka.Kafka $KAFKA_DIR/server.properties"

# Kafka wants a password from every client (SASL/SCRAM-SHA-512 over SASL_PLAINTEXT on 127.0.0.1: the password is
# never sent, but records are not encrypted; docs/security.md#kafka). Three principals, their passwords made once per
# state directory into $KAFKA_CREDENTIALS (mode 0600) when the storage is formatted:
#   reprise-orchestrator  super user: ingest, dead letters, readiness check (REPRISE_KAFKA_USERNAME/PASSWORD)
#   reprise-agent         may only write (and describe) the report topics (REPRISE_KAFKA_AGENT_USERNAME/PASSWORD)
#   reprise-broker        the broker itself, to its controller (PLAIN on the controller listener) and to its peers
KAFKA_CREDENTIALS=$KAFKA_DIR/credentials
KAFKA_ADMIN_CONFIG=$KAFKA_DIR/orchestrator-client.properties
KAFKA_ORCHESTRATOR_USER=reprise-orchestrator KAFKA_AGENT_USER=reprise-agent KAFKA_BROKER_USER=reprise-broker
KAFKA_REPORT_TOPICS=(reprise.metrics reprise.run-events)

kafka_new_password() { head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32; }

# Reads the passwords into KAFKA_ORCHESTRATOR_PASSWORD, KAFKA_AGENT_PASSWORD, KAFKA_BROKER_PASSWORD (false if none).
kafka_read_credentials() {
  [[ -s $KAFKA_CREDENTIALS ]] || return 1
  # shellcheck disable=SC1090
  source "$KAFKA_CREDENTIALS"
  [[ -n ${KAFKA_ORCHESTRATOR_PASSWORD:-} && -n ${KAFKA_AGENT_PASSWORD:-} && -n ${KAFKA_BROKER_PASSWORD:-} ]]
}

kafka_write_config() {
  mkdir -p "$KAFKA_DIR/data"
  kafka_read_credentials || die "kafka: no credentials in $KAFKA_CREDENTIALS"
  local plain=org.apache.kafka.common.security.plain.PlainLoginModule
  local scram=org.apache.kafka.common.security.scram.ScramLoginModule
  (
    umask 077
    cat >"$KAFKA_DIR/server.properties" <<EOF
# written by scripts/services.sh on every start: edit the script, not this file (it holds passwords: mode 0600)
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=SASL_PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=SASL_PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_PLAINTEXT
listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
# clients: SCRAM-SHA-512 (users stored in the metadata log, added at format time)
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=$scram required username="$KAFKA_BROKER_USER" password="$KAFKA_BROKER_PASSWORD";
# the controller listener: KRaft cannot check SCRAM there (the users live in the log it serves), so PLAIN with the
# broker's one static user; nobody else can talk to the controller
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=$plain required username="$KAFKA_BROKER_USER" password="$KAFKA_BROKER_PASSWORD" user_$KAFKA_BROKER_USER="$KAFKA_BROKER_PASSWORD";
# ACLs (docs/security.md#kafka): nothing is allowed that no ACL allows; the broker and the orchestrator may do all
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:$KAFKA_BROKER_USER;User:$KAFKA_ORCHESTRATOR_USER
log.dirs=$KAFKA_DIR/data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
EOF
    cat >"$KAFKA_ADMIN_CONFIG" <<EOF
# the orchestrator's client settings, for Kafka's command-line tools (written by scripts/services.sh)
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=$scram required username="$KAFKA_ORCHESTRATOR_USER" password="$KAFKA_ORCHESTRATOR_PASSWORD";
EOF
  )
  cat >"$KAFKA_DIR/log4j2.properties" <<EOF
# broker logs: INFO to $KAFKA_DIR/kafka.log (rolled at 50 MB), nothing on the console
status = warn
appender.file.type = RollingFile
appender.file.name = file
appender.file.fileName = $KAFKA_DIR/kafka.log
appender.file.filePattern = $KAFKA_DIR/kafka.log.%i
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 50MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 3
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
EOF
}

# Kafka's command-line classes, run from the cached jars (log4j2's default: errors only, on the console).
KAFKA_TOOL=(java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$KAFKA_LIB/*")

# KRaft storage is formatted once, with a random cluster id (a Kafka Uuid: 16 bytes, base64url) and the SCRAM users.
# A storage formatted before the broker wanted passwords (no $KAFKA_CREDENTIALS) is formatted again: the reports it
# still holds are dropped (the orchestrator has ingested what it had seen).
kafka_format() {
  if [[ -f $KAFKA_DIR/data/meta.properties ]]; then
    kafka_read_credentials && return 0
    log "kafka: $KAFKA_DIR/data was formatted without credentials (before Kafka required them): formatting it again"
    rm -rf "$KAFKA_DIR/data" "$KAFKA_DIR/acls.done"
    mkdir -p "$KAFKA_DIR/data"
  fi
  (
    umask 077
    cat >"$KAFKA_CREDENTIALS.tmp" <<EOF
# Kafka passwords of this state directory, made by scripts/services.sh; 'scripts/services.sh env' prints them
KAFKA_ORCHESTRATOR_PASSWORD=$(kafka_new_password)
KAFKA_AGENT_PASSWORD=$(kafka_new_password)
KAFKA_BROKER_PASSWORD=$(kafka_new_password)
EOF
  )
  mv "$KAFKA_CREDENTIALS.tmp" "$KAFKA_CREDENTIALS"
  kafka_write_config
  local id
  id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
  # --cluster-id=ID in one word: base64url may start with '-' (1 time in 64), which "-t ID" reads as an option
  if ! "${KAFKA_TOOL[@]}" kafka.tools.StorageTool format --cluster-id="$id" -c "$KAFKA_DIR/server.properties" \
      --add-scram "SCRAM-SHA-512=[name=$KAFKA_ORCHESTRATOR_USER,password=$KAFKA_ORCHESTRATOR_PASSWORD]" \
      --add-scram "SCRAM-SHA-512=[name=$KAFKA_AGENT_USER,password=$KAFKA_AGENT_PASSWORD]" \
      --add-scram "SCRAM-SHA-512=[name=$KAFKA_BROKER_USER,password=$KAFKA_BROKER_PASSWORD]" \
      >"$KAFKA_DIR/format.log" 2>&1; then
    show_logs "$KAFKA_DIR/format.log"
    rm -f "$KAFKA_CREDENTIALS"
    die "kafka: formatting the KRaft storage in $KAFKA_DIR/data failed"
  fi
  log "kafka: formatted KRaft storage (cluster id $id) with SCRAM users $KAFKA_ORCHESTRATOR_USER, $KAFKA_AGENT_USER"
}

# Once per storage, when the broker answers: the report topics, and the agents' ACLs on them (write, describe;
# idempotent write for their idempotent producer). Nothing else is granted: no read, no consumer group.
kafka_grant() {
  [[ -f $KAFKA_DIR/acls.done ]] && return 0
  local t
  for t in "${KAFKA_REPORT_TOPICS[@]}"; do
    "${KAFKA_TOOL[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" \
      --command-config "$KAFKA_ADMIN_CONFIG" --create --if-not-exists --topic "$t" >>"$KAFKA_DIR/acls.log" 2>&1 ||
      { show_logs "$KAFKA_DIR/acls.log"; die "kafka: creating topic $t failed"; }
  done
  "${KAFKA_TOOL[@]}" org.apache.kafka.tools.AclCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" \
    --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal "User:$KAFKA_AGENT_USER" \
    --operation Write --operation Describe \
    --topic "${KAFKA_REPORT_TOPICS[0]}" --topic "${KAFKA_REPORT_TOPICS[1]}" >>"$KAFKA_DIR/acls.log" 2>&1 ||
    { show_logs "$KAFKA_DIR/acls.log"; die "kafka: adding the agents' topic ACLs failed"; }
  "${KAFKA_TOOL[@]}" org.apache.kafka.tools.AclCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" \
    --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal "User:$KAFKA_AGENT_USER" \
    --operation IdempotentWrite --cluster >>"$KAFKA_DIR/acls.log" 2>&1 ||
    { show_logs "$KAFKA_DIR/acls.log"; die "kafka: adding the agents' cluster ACL failed"; }
  touch "$KAFKA_DIR/acls.done"
  log "kafka: topics ${KAFKA_REPORT_TOPICS[*]} created; $KAFKA_AGENT_USER may write (only) to them"
}

kafka_running() { pid_alive "$KAFKA_DIR/kafka.pid" "$KAFKA_MARKER"; }
kafka_our_port() { sed -n 's|^advertised.listeners=[A-Z_]*://127.0.0.1:||p' "$KAFKA_DIR/server.properties"; }

kafka_preflight() {
  local p
  if kafka_running; then
    [[ $(kafka_our_port) == "$KAFKA_PORT" ]] ||
      die "kafka: ours already runs on port $(kafka_our_port), not $KAFKA_PORT: run '$0 stop' first"
    grep -q '^allow.everyone.if.no.acl.found=false' "$KAFKA_DIR/server.properties" ||
      die "kafka: ours runs without authentication (started by an older services.sh): run '$0 stop', then" \
        "'$0 start' (it formats the storage again, with passwords)"
    return 0
  fi
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_open "$p"; then
      die "kafka: 127.0.0.1:$p is taken by another process, not by our Kafka." \
        "Free it or set REPRISE_KAFKA_PORT / REPRISE_KAFKA_CONTROLLER_PORT."
    fi
  done
}

kafka_launch() {
  if kafka_running; then
    log "kafka: already running (pid $(<"$KAFKA_DIR/kafka.pid"), 127.0.0.1:$KAFKA_PORT)"
    return 0
  fi
  kafka_format
  kafka_write_config
  setsid java -Xmx512m -Xms128m -XX:+UseSerialGC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2.properties" \
    -cp "$KAFKA_LIB/*" kafka.Kafka "$KAFKA_DIR/server.properties" \
    >"$KAFKA_DIR/kafka.out" 2>&1 </dev/null &
  echo $! >"$KAFKA_DIR/kafka.pid"
  STARTED+=(kafka)
}

kafka_api_versions() {
  timeout 30 "${KAFKA_TOOL[@]}" org.apache.kafka.tools.BrokerApiVersionsCommand \
    --bootstrap-server "127.0.0.1:$KAFKA_PORT" --command-config "$KAFKA_ADMIN_CONFIG" 2>/dev/null || true
}

# Ready = the listener accepts AND the broker answers an ApiVersions request as node 1, unfenced
# (BrokerApiVersionsCommand prints "127.0.0.1:PORT (id: 1 rack: null isFenced: false) -> (...").
kafka_wait() {
  local t0 deadline
  t0=$(now)
  deadline=$((SECONDS + TIMEOUT))
  while ((SECONDS < deadline)); do
    kafka_running || {
      show_logs "$KAFKA_DIR/kafka.out" "$KAFKA_DIR/kafka.log"
      die "kafka: the broker exited during start-up"
    }
    if port_open "$KAFKA_PORT" && [[ $(kafka_api_versions) == *"(id: 1 "*"isFenced: false"* ]]; then
      log "kafka: ready on 127.0.0.1:$KAFKA_PORT (pid $(<"$KAFKA_DIR/kafka.pid")) after $(since "$t0") s more"
      kafka_grant
      return 0
    fi
    sleep 0.3
  done
  show_logs "$KAFKA_DIR/kafka.out" "$KAFKA_DIR/kafka.log"
  die "kafka: not ready within $TIMEOUT s"
}

kafka_stop() { stop_pid kafka "$KAFKA_DIR/kafka.pid" "$KAFKA_MARKER"; }

kafka_status() {
  if kafka_running && port_open "$(kafka_our_port)"; then
    echo "kafka     up    127.0.0.1:$(kafka_our_port)  pid $(<"$KAFKA_DIR/kafka.pid"), data $KAFKA_DIR/data"
  elif kafka_running; then
    echo "kafka     starting  127.0.0.1:$(kafka_our_port)  pid $(<"$KAFKA_DIR/kafka.pid"), listener not open yet"
    return 1
  else
    echo "kafka     down  127.0.0.1:$KAFKA_PORT"
    return 1
  fi
}

# ---------------------------------------------------------------------------------------------- S3Proxy

S3_MARKER="org.gaul.s3proxy.Main --properties $S3_DIR/s3proxy.properties"

s3_write_config() {
  mkdir -p "$S3_DIR/data"
  cat >"$S3_DIR/s3proxy.properties" <<EOF
# written by scripts/services.sh on every start: edit the script, not this file
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY
s3proxy.credential=$S3_SECRET_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$S3_DIR/data
EOF
  cat >"$S3_DIR/logback.xml" <<EOF
<!-- written by scripts/services.sh: INFO to $S3_DIR/s3proxy.log (S3Proxy logs at DEBUG otherwise) -->
<configuration>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>$S3_DIR/s3proxy.log</file>
    <encoder><pattern>%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="FILE"/></root>
</configuration>
EOF
}

s3_answers() { [[ $(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$1/") != 000 ]]; }

s3_running() { pid_alive "$S3_DIR/s3proxy.pid" "$S3_MARKER"; }
s3_our_port() { sed -n 's|^s3proxy.endpoint=http://127.0.0.1:||p' "$S3_DIR/s3proxy.properties"; }

s3_preflight() {
  if s3_running; then
    [[ $(s3_our_port) == "$S3_PORT" ]] ||
      die "s3proxy: ours already runs on port $(s3_our_port), not $S3_PORT: run '$0 stop' first"
  elif port_open "$S3_PORT"; then
    die "s3proxy: 127.0.0.1:$S3_PORT is taken by another process, not by our S3Proxy. Free it or set REPRISE_S3_PORT."
  fi
}

s3_launch() {
  if s3_running; then
    log "s3proxy: already running (pid $(<"$S3_DIR/s3proxy.pid"), http://127.0.0.1:$S3_PORT)"
    return 0
  fi
  s3_write_config
  setsid java -Xmx256m -XX:+UseSerialGC -Djava.awt.headless=true \
    -Dlogback.configurationFile="$S3_DIR/logback.xml" \
    -cp "$S3_LIB/*" org.gaul.s3proxy.Main --properties "$S3_DIR/s3proxy.properties" \
    >"$S3_DIR/s3proxy.out" 2>&1 </dev/null &
  echo $! >"$S3_DIR/s3proxy.pid"
  STARTED+=(s3proxy)
}

# Ready = an HTTP answer on the endpoint (403 for an anonymous request is an answer).
s3_wait() {
  local t0 deadline
  t0=$(now)
  deadline=$((SECONDS + TIMEOUT))
  while ((SECONDS < deadline)); do
    s3_running || {
      show_logs "$S3_DIR/s3proxy.out" "$S3_DIR/s3proxy.log"
      die "s3proxy: exited during start-up"
    }
    if s3_answers "$S3_PORT"; then
      log "s3proxy: ready on http://127.0.0.1:$S3_PORT (pid $(<"$S3_DIR/s3proxy.pid")) after $(since "$t0") s more"
      return 0
    fi
    sleep 0.2
  done
  show_logs "$S3_DIR/s3proxy.out" "$S3_DIR/s3proxy.log"
  die "s3proxy: not ready within $TIMEOUT s"
}

s3_stop() { stop_pid s3proxy "$S3_DIR/s3proxy.pid" "$S3_MARKER"; }

s3_status() {
  if s3_running && s3_answers "$(s3_our_port)"; then
    echo "s3proxy   up    http://127.0.0.1:$(s3_our_port)  pid $(<"$S3_DIR/s3proxy.pid"), data $S3_DIR/data"
  else
    echo "s3proxy   down  http://127.0.0.1:$S3_PORT"
    return 1
  fi
}

# ---------------------------------------------------------------------------------------------- commands

# On a failed start, stop what this invocation started, so that no half-started set is left behind.
rollback() {
  local rc=$? i
  ((rc != 0 && ${#STARTED[@]} > 0)) || return 0
  log "start failed: stopping what this run started (${STARTED[*]})"
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
    case ${STARTED[i]} in
      postgres) pg_stop || true ;;
      kafka) kafka_stop || true ;;
      s3proxy) s3_stop || true ;;
    esac
  done
}

cmd_start() {
  local t0
  t0=$(now)
  require_tools
  mkdir -p "$STATE" "$KAFKA_DIR" "$S3_DIR"
  fetch_jars kafka
  fetch_jars s3proxy
  # every port and ownership check first: a conflict stops the start before anything was launched
  pg_preflight
  kafka_preflight
  s3_preflight
  trap rollback EXIT
  # the two JVMs boot in the background while PostgreSQL starts in the foreground
  kafka_launch
  s3_launch
  pg_start
  kafka_wait
  s3_wait
  trap - EXIT
  log "all services up in $(since "$t0") s (state: $STATE)"
}

cmd_stop() {
  kafka_stop
  s3_stop
  pg_stop
}

cmd_status() {
  local rc=0
  pg_status || rc=1
  kafka_status || rc=1
  s3_status || rc=1
  return "$rc"
}

cmd_env() {
  cat <<EOF
export REPRISE_PG_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/reprise
export REPRISE_PG_TEST_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/reprise_test
export REPRISE_PG_USER=$PG_APP_USER
export REPRISE_PG_PASSWORD=$PG_APP_PASSWORD
export REPRISE_PG_MIGRATION_USER=$PG_USER
export REPRISE_PG_MIGRATION_PASSWORD=$PG_PASSWORD
export REPRISE_KAFKA_BOOTSTRAP=127.0.0.1:$KAFKA_PORT
EOF
  if kafka_read_credentials; then
    cat <<EOF
export REPRISE_KAFKA_USERNAME=$KAFKA_ORCHESTRATOR_USER
export REPRISE_KAFKA_PASSWORD=$KAFKA_ORCHESTRATOR_PASSWORD
export REPRISE_KAFKA_AGENT_USERNAME=$KAFKA_AGENT_USER
export REPRISE_KAFKA_AGENT_PASSWORD=$KAFKA_AGENT_PASSWORD
EOF
  else
    log "kafka: no credentials yet in $KAFKA_CREDENTIALS: run '$0 start' first"
  fi
  cat <<EOF
export REPRISE_S3_ENDPOINT=http://127.0.0.1:$S3_PORT
export REPRISE_S3_ACCESS_KEY=$S3_ACCESS_KEY
export REPRISE_S3_SECRET_KEY=$S3_SECRET_KEY
EOF
}

# Gives the tests an empty reprise_test database (run ids restart, nothing left over from earlier runs).
cmd_reset_test_db() {
  pg_ready || die "postgres: not running on 127.0.0.1:$PG_PORT; run '$0 start' first"
  psql_admin <<SQL
SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'reprise_test' AND pid <> pg_backend_pid();
DROP DATABASE IF EXISTS reprise_test;
CREATE DATABASE reprise_test OWNER $PG_USER;
SQL
  log "postgres: reprise_test is empty"
}

case ${1:-} in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) cmd_env ;;
  reset-test-db) cmd_reset_test_db ;;
  *)
    echo "usage: $0 start|stop|status|env|reset-test-db" >&2
    exit 2
    ;;
esac
