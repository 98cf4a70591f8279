# testing/netns/lib.sh -- the scenario runner shared by testing/netns/run and
# testing/interop/run.  Sourced by bash; see testing/netns/README.md for the format.
#
# Each scenario runs in two fresh network namespaces, il-$$-west (192.0.2.45,
# 2001:db8:1::45) and il-$$-east (192.0.2.23, 2001:db8:1::23), joined by a veth pair,
# with one daemon each (Interlude's pluto or Debian's libreswan pluto) whose files all
# live under a private temporary directory.  Only the processes this runner started
# are ever killed, and only its own namespaces are ever deleted.
#
# Where hosts live and how commands and daemons run in them are the functions under
# "host backend" below; testing/uml/run redefines them after sourcing this file (hosts
# are User-Mode-Linux guests there) and keeps everything else: the steps, the files of
# each host, the checks, the logs.

set -u
shopt -s extglob

IL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=${B:-build}
case $B in /*) BDIR=$B ;; *) BDIR=$IL_ROOT/$B ;; esac
IL_PLUTO=$BDIR/programs/pluto/pluto
IL_WHACK=$BDIR/programs/whack/whack
LS_LIBEXEC=${LS_LIBEXEC:-/usr/libexec/ipsec}
LS_PLUTO=$LS_LIBEXEC/pluto
LS_WHACK=$LS_LIBEXEC/whack
LS_ADDCONN=$LS_LIBEXEC/addconn

SCENARIO_TIMEOUT=${SCENARIO_TIMEOUT:-60}	# seconds per scenario, all steps included
STEP_TIMEOUT=${STEP_TIMEOUT:-30}		# seconds per command
UNTIL_DEFAULT=${UNTIL_DEFAULT:-20}		# seconds an `until:` step polls by default
START_TIMEOUT=${START_TIMEOUT:-10}		# seconds to wait for pluto.ctl
# seccomp= for Interlude's daemons whose ipsec.conf does not set it: launch_daemon
# passes pluto --seccomp-$IL_SECCOMP (a command-line option, so that the scenarios'
# files and their line numbers stay as written); every scenario runs with the
# system call filter on unless it says otherwise.  IL_SECCOMP= (empty): none.
IL_SECCOMP=${IL_SECCOMP-enabled}

HOSTS=(west east)		# the hosts that run a daemon
STEP_HOSTS=(west east)		# the names a step may start with (`west: ...`)
declare -A ADDR4=([west]=192.0.2.45 [east]=192.0.2.23)
declare -A ADDR6=([west]=2001:db8:1::45 [east]=2001:db8:1::23)

VERBOSE=0
TIMES=${TIMES:-0}	# 1: PASS/FAIL lines end with the scenario's seconds, e.g. `PASS psk (14s)`
KIND=netns		# netns | interop: the default implementation and the summary label
declare -A IMPL		# host -> interlude | libreswan
declare -A PIDS		# host -> daemon pid (only what we started)
NSLIST=()		# namespaces we created
TMP=""			# this scenario's temporary directory
TMP_BASE=/tmp		# where TMP is made
KEEP_BASE=$BDIR/testing	# a failed scenario's files go to KEEP_BASE/NAME
declare -a HOST_ENV	# NAME=VALUE for the command host_exec runs
FAILED_STEP=""
DAEMON_ERR=""
LAST_CMD=""		# the last command a step ran
STEP_PID=""		# the step command running in the background, if any

say() { printf '%s\n' "$*"; }
vsay() { [ "$VERBOSE" = 1 ] && printf '%s\n' "$*"; return 0; }
ns() { printf 'il-%s-%s' "$$" "$1"; }

# --- teardown -----------------------------------------------------------------

# stop_daemons: SIGTERM, then SIGKILL after 5 s, to the daemons this runner started.
# Records in DAEMON_ERR a non-clean exit of Interlude's pluto (a crash, a sanitizer
# exit); libreswan's exit status is not our business (4.10 sometimes segfaults
# while shutting down).
stop_daemons() {
	local h
	for h in "${!PIDS[@]}"; do
		daemon_signal "$h" TERM
	done
	for h in "${!PIDS[@]}"; do
		stop_wait "$h"
	done
} 2>/dev/null

# stop_wait HOST: after SIGTERM, wait for HOST's daemon (SIGKILL after 5 s) and
# reap it; a non-clean exit of Interlude's pluto is added to DAEMON_ERR.
stop_wait() {
	local h=$1 i rc
	for ((i = 0; i < 50; i++)); do
		daemon_alive "$h" || break
		sleep 0.1
	done
	if daemon_alive "$h"; then
		echo "  ($h: pluto pid ${PIDS[$h]} ignored SIGTERM for 5s; SIGKILL)"
		daemon_signal "$h" KILL
	fi
	daemon_reap "$h"
	rc=$REAP_RC
	if [ "${IMPL[$h]:-}" = interlude ] && [ "$rc" != 0 ] && [ "$rc" != 143 ]; then
		DAEMON_ERR="${DAEMON_ERR:+$DAEMON_ERR; }$h: pluto exited with status $rc after SIGTERM"
	fi
	unset "PIDS[$h]"
} 2>/dev/null

delete_namespaces() {
	local n
	for n in "${NSLIST[@]}"; do
		ip netns del "$n" 2>/dev/null
	done
	NSLIST=()
}

cleanup() {
	if [ -n "$STEP_PID" ]; then
		kill -TERM "$STEP_PID" 2>/dev/null
		wait "$STEP_PID" 2>/dev/null
		STEP_PID=""
	fi
	stop_daemons
	net_down
	[ -n "$TMP" ] && [ -d "$TMP" ] && rm -rf "$TMP"
	TMP=""
}

on_signal() {
	trap - EXIT INT TERM
	echo "interrupted: cleaning up" >&2
	cleanup
	runner_end
	exit 130
}

# --- host backend ---------------------------------------------------------------
# The defaults: each host is a network namespace of this machine.  testing/uml/run
# redefines all of these.

# runner_begin / runner_end: once per run, before the first and after the last scenario
runner_begin() { :; }
runner_end() { :; }

# net_up SCENARIO-DIR / net_down: the hosts and their network, per scenario
net_up() { make_namespaces; }
net_down() { delete_namespaces; }

# hosts_word HOST VALUE: 0 if a word of a scenario's `hosts` file is the backend's
# (not an implementation choice); the namespaces know none
hosts_word() { return 1; }

# host_exec HOST TIMEOUT SCRIPT: run bash SCRIPT on HOST with the environment
# HOST_ENV (NAME=VALUE...) and a time limit (exit status 124 when it is hit);
# stdout/stderr are the caller's.  Runs in a background subshell (host_cmd), so
# exec: the step's pid is the command's.
host_exec() {
	exec ip netns exec "$(ns "$1")" env "${HOST_ENV[@]}" timeout -k 2 "$2" bash -c "$3"
}

# daemon_spawn HOST OUT ERR PROGRAM ARGS...: start HOST's daemon, stdout to OUT and
# stderr to ERR (one file when the same), stdin /dev/null; sets PIDS[HOST]
daemon_spawn() {
	local h=$1 out=$2 err=$3
	shift 3
	if [ "$out" = "$err" ]; then
		ip netns exec "$(ns "$h")" "$@" >"$out" 2>&1 </dev/null &
	else
		ip netns exec "$(ns "$h")" "$@" >"$out" 2>"$err" </dev/null &
	fi
	PIDS[$h]=$!
}

# daemon_alive HOST: 0 while HOST's daemon runs
daemon_alive() { kill -0 "${PIDS[$1]:-}" 2>/dev/null; }

# daemon_signal HOST SIGNAL (a name: TERM, KILL)
daemon_signal() { kill "-$2" "${PIDS[$1]:-}" 2>/dev/null; }

# daemon_reap HOST: wait for HOST's daemon to exit; REAP_RC = its exit status
daemon_reap() {
	wait "${PIDS[$1]:-}" 2>/dev/null
	REAP_RC=$?
}

# failure_snapshot: right after a step failed, while the daemons still run, record
# what keep_extra will keep (the namespaces: nothing)
failure_snapshot() { :; }

# keep_extra DIR: more of a failed scenario's evidence into DIR (its logs are there)
keep_extra() { :; }

# --- setup --------------------------------------------------------------------

make_namespaces() {
	local w e h
	w=$(ns west); e=$(ns east)
	ip netns add "$w" || return 1; NSLIST+=("$w")
	ip netns add "$e" || return 1; NSLIST+=("$e")
	# the veth pair is created inside west and its peer moved straight into east,
	# so no interface ever appears in the root namespace.
	ip -n "$w" link add eth0 type veth peer name eth0 netns "$e" || return 1
	for h in "${HOSTS[@]}"; do
		ip -n "$(ns "$h")" link set lo up || return 1
		ip -n "$(ns "$h")" addr add "${ADDR4[$h]}/24" dev eth0 || return 1
		ip -n "$(ns "$h")" addr add "${ADDR6[$h]}/64" dev eth0 nodad || return 1
		ip -n "$(ns "$h")" link set eth0 up || return 1
	done
}

# pick_secrets SCENARIO HOST -> path of the secrets file for HOST
pick_secrets() {
	if [ -f "$1/$2.secrets" ]; then echo "$1/$2.secrets"
	elif [ -f "$1/ipsec.secrets" ]; then echo "$1/ipsec.secrets"
	else echo /dev/null; fi
}

# write_wrappers HOST: HOST's bin dir holds `whack` and `ipsec` speaking to its pluto.
write_wrappers() {
	local h=$1 d=$TMP/$1
	mkdir -p "$d/bin"
	if [ "${IMPL[$h]}" = interlude ]; then
		cat >"$d/bin/whack" <<-EOF
		#!/bin/bash
		exec "$IL_WHACK" --ctlsocket "$d/run/pluto.ctl" "\$@"
		EOF
	else
		# libreswan 4.10's whack: --up/--down are --initiate/--terminate, and
		# `--add --name X` (load X from ipsec.conf) is addconn's job.
		cat >"$d/bin/whack" <<-EOF
		#!/bin/bash
		args=() add=0 name=
		while [ \$# -gt 0 ]; do
			case \$1 in
			--up) args+=(--initiate) ;;
			--down) args+=(--terminate) ;;
			--add) add=1 ;;
			--name) name=\$2; args+=(--name "\$2"); shift ;;
			*) args+=("\$1") ;;
			esac
			shift
		done
		if [ \$add = 1 ] && [ \${#args[@]} = 2 ]; then
			exec "$LS_ADDCONN" --config "$d/ipsec.conf" --ctlsocket "$d/run/pluto.ctl" "\$name"
		fi
		[ \$add = 1 ] && args=(--add "\${args[@]}")
		exec "$LS_WHACK" --ctlsocket "$d/run/pluto.ctl" "\${args[@]}"
		EOF
	fi
	# a small `ipsec` front end, the same for both implementations
	cat >"$d/bin/ipsec" <<-EOF
	#!/bin/bash
	w="$d/bin/whack"
	case \${1:-} in
	add) exec "\$w" --add --name "\$2" ;;
	up) exec "\$w" --up --name "\$2" ;;
	down) exec "\$w" --down --name "\$2" ;;
	delete) exec "\$w" --delete --name "\$2" ;;
	status) exec "\$w" --status ;;
	briefstatus) exec "\$w" --briefstatus ;;
	trafficstatus) exec "\$w" --trafficstatus ;;
	whack) shift; exec "\$w" "\$@" ;;
	auto) shift; op=\$1; shift
	      case \$op in --add|--up|--down|--delete) exec "\$w" \$op --name "\$1" ;; esac ;;
	esac
	echo "ipsec (test wrapper): unsupported: \$*" >&2; exit 2
	EOF
	chmod +x "$d/bin/whack" "$d/bin/ipsec"
}

# start_daemon SCENARIO HOST: HOST's files, then its daemon
start_daemon() {
	local s=$1 h=$2 d=$TMP/$2
	mkdir -p "$d/nss" "$d/run"
	cp "$s/$h.conf" "$d/ipsec.conf" || { FAILED_STEP="no $h.conf"; return 1; }
	cp "$(pick_secrets "$s" "$h")" "$d/ipsec.secrets"
	chmod 600 "$d/ipsec.secrets"
	write_wrappers "$h"
	if [ "${IMPL[$h]}" = interlude ]; then
		certutil -N -d "sql:$d/nss" --empty-password >"$d/initnss.log" 2>&1 ||
			{ FAILED_STEP="$h: certutil -N failed"; return 1; }
	else
		ipsec initnss --nssdir "$d/nss" >"$d/initnss.log" 2>&1 ||
			{ FAILED_STEP="$h: ipsec initnss failed"; return 1; }
	fi
	# a scenario's `pki` script puts certificates into the host's database before
	# its daemon starts: pki HOST NSSDIR, with $PKI (tools/pki) and $PKIDIR (the
	# run's CA, fresh each run)
	if [ -f "$s/pki" ]; then
		PKI="$IL_ROOT/testing/netns/tools/pki" PKIDIR="$TMP/pki" bash "$s/pki" "$h" "$d/nss" >"$d/pki.log" 2>&1 ||
			{ FAILED_STEP="$h: pki failed ($(tail -n 1 "$d/pki.log"))"; return 1; }
	fi
	launch_daemon "$h"
}

# launch_daemon HOST: start HOST's daemon on its files and wait for its control socket
launch_daemon() {
	local h=$1 d=$TMP/$1 i
	rm -f "$d/run/pluto.ctl"
	if [ "${IMPL[$h]}" = interlude ]; then
		local sc=()
		[ -n "$IL_SECCOMP" ] && ! grep -qE '^[[:space:]]+seccomp[[:space:]]*=' "$d/ipsec.conf" &&
			sc=("--seccomp-$IL_SECCOMP")
		daemon_spawn "$h" "$d/pluto.stderr" "$d/pluto.stderr" "$IL_PLUTO" \
			--config "$d/ipsec.conf" --secretsfile "$d/ipsec.secrets" --nssdir "$d/nss" \
			--rundir "$d/run" --logfile "$d/pluto.log" --nofork "${sc[@]}" ${IL_PLUTO_EXTRA:-}
	else
		daemon_spawn "$h" /dev/null "$d/pluto.log" "$LS_PLUTO" --config "$d/ipsec.conf" \
			--secretsfile "$d/ipsec.secrets" --ipsecdir "$d" --nssdir "$d/nss" \
			--rundir "$d/run" --dumpdir "$d/run" --nofork --stderrlog
	fi
	[ -n "${PIDS[$h]:-}" ] || { FAILED_STEP="$h: cannot start ${IMPL[$h]} pluto"; return 1; }
	for ((i = 0; i < START_TIMEOUT * 10; i++)); do
		[ -S "$d/run/pluto.ctl" ] && return 0
		if ! daemon_alive "$h"; then
			FAILED_STEP="$h: ${IMPL[$h]} pluto exited during startup"
			return 1
		fi
		sleep 0.1
	done
	FAILED_STEP="$h: no $d/run/pluto.ctl after ${START_TIMEOUT}s"
	return 1
}

# restart_daemon HOST [KILL]: the `restart: HOST` step.  SIGTERM (SIGKILL after 5 s),
# the exit checked as at the end of a scenario, then the same daemon on the same
# files.  With KILL (the `crash: HOST` step): SIGKILL at once, as a crash would end it,
# its exit status not checked.  What happened goes to $TMP/out.
restart_daemon() {
	local h=$1 sig=${2:-TERM} err
	LAST_CMD="restart: $h"
	if [ -z "${PIDS[$h]:-}" ]; then
		echo "restart: $h has no daemon" >"$TMP/out"
		return 1
	fi
	err=$DAEMON_ERR DAEMON_ERR=""
	daemon_signal "$h" "$sig"
	stop_wait "$h" >"$TMP/out" 2>&1
	[ "$sig" = KILL ] && DAEMON_ERR=""
	if [ -n "$DAEMON_ERR" ]; then
		echo "restart: $DAEMON_ERR" >>"$TMP/out"
		DAEMON_ERR=$err
		return 1
	fi
	DAEMON_ERR=$err
	echo "restart: $h: ${IMPL[$h]} pluto stopped (exit status $REAP_RC)" >>"$TMP/out"
	if ! launch_daemon "$h"; then
		echo "restart: $FAILED_STEP" >>"$TMP/out"
		return 1
	fi
	echo "restart: $h: ${IMPL[$h]} pluto started again" >>"$TMP/out"
}

# --- steps ---------------------------------------------------------------------

remaining() { echo $((DEADLINE - SECONDS)); }

# host_cmd HOST CMD: run CMD in HOST's namespace with its wrappers first on PATH;
# stdout+stderr go to $TMP/out.  `log` alone means HOST's daemon log.
host_cmd() {
	local h=$1 cmd=$2 d=$TMP/$1 t
	LAST_CMD=$cmd
	if [ "$cmd" = log ]; then
		cat "$d/pluto.log" "$d/pluto.stderr" >"$TMP/out" 2>/dev/null
		return 0
	fi
	t=$(remaining); [ "$t" -gt "$STEP_TIMEOUT" ] && t=$STEP_TIMEOUT; [ "$t" -lt 1 ] && t=1
	# PLUTO: the daemon binary this host runs (for steps that start another one);
	# TOOLS: testing/netns/tools (packet crafting, testing/netns/tools/ikesend.py)
	local pluto=$IL_PLUTO
	[ "${IMPL[$h]:-}" = libreswan ] && pluto=$LS_PLUTO
	HOST_ENV=(PATH="$d/bin:$PATH" HOST="$h" HOSTDIR="$d" PLUTO="$pluto"
		  TOOLS="$IL_ROOT/testing/netns/tools")
	# in the background so that a signal to the runner is handled at once
	host_exec "$h" "$t" "cd '$d' || exit 1; $cmd" >"$TMP/out" 2>&1 </dev/null &
	STEP_PID=$!
	wait "$STEP_PID"
	local rc=$?
	STEP_PID=""
	return $rc
}

# check HOST CMD OP PATTERN: one attempt at an assertion (OP is | or |!)
check() {
	host_cmd "$1" "$2"
	if [ "$3" = "|" ]; then
		grep -qE -e "$4" "$TMP/out"
	else
		! grep -qE -e "$4" "$TMP/out"
	fi
}

# show_out [PATTERN]: in verbose mode, echo the last command's output (only the
# lines matching PATTERN when given; libreswan's --status is long)
show_out() {
	[ "$VERBOSE" = 1 ] && [ -s "$TMP/out" ] || return 0
	if [ -n "${1:-}" ]; then
		grep -E -e "$1" "$TMP/out" | head -n 20 | sed 's/^/    | /'
	else
		tail -n 40 "$TMP/out" | sed 's/^/    | /'
	fi
	return 0
}

# split_assert "host: cmd | pat" -> sets A_HOST A_CMD A_OP A_PAT (A_OP empty: a command)
split_assert() {
	local line=$1 rest
	A_HOST=${line%%:*}
	rest=${line#*:}
	rest=${rest##+([[:space:]])}
	A_OP="" A_PAT="" A_CMD=$rest
	# the last " |! " or " | " separates the command from the pattern
	local a=${rest% |! *} b=${rest% | *}
	if [ "$a" != "$rest" ] && { [ "$b" = "$rest" ] || [ ${#a} -ge ${#b} ]; }; then
		A_CMD=$a A_OP="|!" A_PAT=${rest:${#a}+4}
	elif [ "$b" != "$rest" ]; then
		A_CMD=$b A_OP="|" A_PAT=${rest:${#b}+3}
	fi
	A_CMD=${A_CMD%%+([[:space:]])}
}

# in_list WORD LIST...: 0 if WORD is one of LIST
in_list() {
	local w=$1 x
	shift
	for x in "$@"; do [ "$x" = "$w" ] && return 0; done
	return 1
}

valid_host() { in_list "$1" "${STEP_HOSTS[@]}"; }

# run_step LINE -> 0 ok, 1 failed
run_step() {
	local line=$1 n i neg=0 limit
	if [[ $line =~ ^wait:[[:space:]]*([0-9.]+)$ ]]; then
		vsay "  wait ${BASH_REMATCH[1]}s"
		sleep "${BASH_REMATCH[1]}" &
		STEP_PID=$!
		wait "$STEP_PID"
		STEP_PID=""
		return 0
	fi
	if [[ $line =~ ^crash:[[:space:]]*([a-z]+)$ ]]; then
		in_list "${BASH_REMATCH[1]}" "${HOSTS[@]}" || { echo "bad step: $line" >&2; return 1; }
		vsay "  [${BASH_REMATCH[1]}] kill the daemon (SIGKILL) and start it again"
		restart_daemon "${BASH_REMATCH[1]}" KILL; n=$?
		show_out
		return $n
	fi
	if [[ $line =~ ^restart:[[:space:]]*([a-z]+)$ ]]; then
		in_list "${BASH_REMATCH[1]}" "${HOSTS[@]}" || { echo "bad step: $line" >&2; return 1; }
		vsay "  [${BASH_REMATCH[1]}] restart the daemon"
		restart_daemon "${BASH_REMATCH[1]}"; n=$?
		show_out
		return $n
	fi
	if [[ $line =~ ^until([[:space:]]+([0-9]+))?:[[:space:]]*(.*)$ ]]; then
		limit=${BASH_REMATCH[2]:-$UNTIL_DEFAULT}
		split_assert "${BASH_REMATCH[3]}"
		valid_host "$A_HOST" && [ -n "$A_OP" ] || { echo "bad step: $line" >&2; return 1; }
		vsay "  [$A_HOST] until ($limit s): $A_CMD $A_OP $A_PAT"
		for ((i = 0; i < limit * 2; i++)); do
			if check "$A_HOST" "$A_CMD" "$A_OP" "$A_PAT"; then show_out "$A_PAT"; return 0; fi
			[ "$(remaining)" -le 0 ] && break
			sleep 0.5
		done
		show_out "$A_PAT"
		return 1
	fi
	split_assert "$line"
	valid_host "$A_HOST" || { echo "bad step: $line" >&2; return 1; }
	if [ -n "$A_OP" ]; then
		vsay "  [$A_HOST] $A_CMD $A_OP $A_PAT"
		check "$A_HOST" "$A_CMD" "$A_OP" "$A_PAT"; n=$?
		show_out "$A_PAT"
		return $n
	fi
	if [[ $A_CMD == '!'* ]]; then
		neg=1
		A_CMD=${A_CMD#!}
		A_CMD=${A_CMD##+([[:space:]])}
	fi
	if [ "$neg" = 1 ]; then vsay "  [$A_HOST] ! $A_CMD (exit status ignored)"; else vsay "  [$A_HOST] $A_CMD"; fi
	host_cmd "$A_HOST" "$A_CMD"; n=$?
	show_out
	[ "$neg" = 1 ] && return 0
	return $n
}

# --- one scenario --------------------------------------------------------------

read_hosts() {
	local s=$1 h v w
	for h in "${HOSTS[@]}"; do
		if [ "$KIND" = interop ]; then IMPL[$h]=libreswan; else IMPL[$h]=interlude; fi
	done
	[ "$KIND" = interop ] && IMPL[west]=interlude
	[ -f "$s/hosts" ] || return 0
	for w in $(sed 's/#.*//' "$s/hosts"); do
		h=${w%%=*} v=${w#*=}
		hosts_word "$h" "$v" && continue
		in_list "$h" "${HOSTS[@]}" || { FAILED_STEP="hosts: bad host $h"; return 1; }
		case $v in interlude|libreswan) IMPL[$h]=$v ;;
		*) FAILED_STEP="hosts: bad implementation $v"; return 1 ;;
		esac
	done
}

# preflight: every program the scenario needs exists, before anything is started
preflight() {
	local h
	for h in "${HOSTS[@]}"; do
		if [ "${IMPL[$h]}" = interlude ]; then
			[ -x "$IL_PLUTO" ] || { FAILED_STEP="$h: $IL_PLUTO not built"; return 1; }
			[ -x "$IL_WHACK" ] || { FAILED_STEP="$h: $IL_WHACK not built"; return 1; }
			command -v certutil >/dev/null || { FAILED_STEP="certutil missing (libnss3-tools)"; return 1; }
		else
			[ -x "$LS_PLUTO" ] && [ -x "$LS_WHACK" ] && [ -x "$LS_ADDCONN" ] ||
				{ FAILED_STEP="$h: libreswan not installed ($LS_PLUTO)"; return 1; }
			command -v ipsec >/dev/null || { FAILED_STEP="ipsec (libreswan) not on PATH"; return 1; }
		fi
	done
}

sanitizer_errors() {
	local h
	for h in "${HOSTS[@]}"; do
		[ "${IMPL[$h]}" = interlude ] || continue
		if grep -qE 'ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:' \
			"$TMP/$h/pluto.log" "$TMP/$h/pluto.stderr" 2>/dev/null; then
			echo "$h: sanitizer report in pluto's log"
			return 0
		fi
	done
	return 1
}

keep_logs() {
	local name=$1 keep=$KEEP_BASE/$1 h f
	rm -rf "$keep"; mkdir -p "$keep"
	for h in "${HOSTS[@]}"; do
		[ -d "$TMP/$h" ] || continue
		mkdir -p "$keep/$h"
		cp -p "$TMP/$h"/*.conf "$TMP/$h"/*.log "$TMP/$h"/pluto.stderr "$keep/$h/" 2>/dev/null
		for f in "$TMP/$h/pluto.log" "$TMP/$h/pluto.stderr"; do
			[ -s "$f" ] || continue
			echo "---- $name: $h (${IMPL[$h]}): last 40 lines of $(basename "$f") (kept in $keep/$h)"
			tail -n 40 "$f"
		done
	done
	if [ -f "$TMP/out" ] && [ "$LAST_CMD" != log ]; then
		echo "---- $name: output of the last command ($LAST_CMD)"
		tail -n 40 "$TMP/out"
	fi
	cp "$TMP/out" "$keep/failed-step.out" 2>/dev/null
	keep_extra "$keep"
	return 0
}

print_status() {
	local h last=$LAST_CMD
	cp "$TMP/out" "$TMP/out.step" 2>/dev/null	# keep_logs shows the failed step's output
	for h in "${HOSTS[@]}"; do
		echo "==== $h (${IMPL[$h]}): whack --status"
		DEADLINE=$((SECONDS + 10))
		host_cmd "$h" "whack --status"
		if [ "${IMPL[$h]}" = libreswan ]; then
			# the SA lines only; the rest is libreswan's configuration dump
			grep -E '^[0-9]{3} #[0-9]+:|Total IPsec|IKE SAs:|IPsec SAs:' "$TMP/out"
		else
			cat "$TMP/out"
		fi
	done
	mv "$TMP/out.step" "$TMP/out" 2>/dev/null
	LAST_CMD=$last
}

# run_scenario DIR -> 0 pass, 1 fail; prints PASS/FAIL
run_scenario() {
	local s=${1%/} name line ok=1 h t0=$SECONDS took=""
	name=$(basename "$s")
	FAILED_STEP="" LAST_CMD=""
	DEADLINE=$((SECONDS + SCENARIO_TIMEOUT))
	TMP=$(mktemp -d "$TMP_BASE/il-$$-$name.XXXXXX")
	if [ ! -f "$s/steps" ]; then
		FAILED_STEP="no steps file"; ok=0
	elif ! read_hosts "$s"; then
		ok=0
	elif ! preflight; then
		ok=0
	elif ! net_up "$s"; then
		[ -n "$FAILED_STEP" ] || FAILED_STEP="cannot create namespaces"
		ok=0
	else
		# the clock starts once the hosts are there (a UML guest may boot first);
		# a scenario's `timeout` file (seconds) replaces SCENARIO_TIMEOUT for it
		local limit=$SCENARIO_TIMEOUT
		[ -f "$s/timeout" ] && limit=$(sed 's/#.*//' "$s/timeout" | tr -dc 0-9)
		DEADLINE=$((SECONDS + ${limit:-$SCENARIO_TIMEOUT}))
		vsay "== $name: west=${IMPL[west]} east=${IMPL[east]} (files in $TMP)"
		for h in "${HOSTS[@]}"; do
			start_daemon "$s" "$h" || { ok=0; break; }
		done
	fi
	if [ "$ok" = 1 ]; then
		while IFS= read -r line || [ -n "$line" ]; do
			line=${line##+([[:space:]])}
			line=${line%%+([[:space:]])}
			[ -z "$line" ] || [[ $line == '#'* ]] && continue
			if [ "$(remaining)" -le 0 ]; then
				FAILED_STEP="timeout (${SCENARIO_TIMEOUT}s) before: $line"; ok=0; break
			fi
			if ! run_step "$line"; then
				FAILED_STEP=$line; ok=0; break
			fi
		done <"$s/steps"
	fi
	if [ "$ok" = 1 ]; then
		for h in "${HOSTS[@]}"; do
			if ! daemon_alive "$h"; then
				FAILED_STEP="$h: ${IMPL[$h]} pluto died during the scenario"; ok=0
			fi
		done
	fi
	[ "$ok" = 1 ] || failure_snapshot
	[ "$VERBOSE" = 1 ] && [ ${#PIDS[@]} = 2 ] && print_status
	DAEMON_ERR=""
	stop_daemons
	if [ -n "$DAEMON_ERR" ]; then
		[ "$ok" = 1 ] && FAILED_STEP=$DAEMON_ERR
		ok=0
	fi
	if msg=$(sanitizer_errors); then
		[ "$ok" = 1 ] && FAILED_STEP=$msg
		ok=0
	fi
	[ "$TIMES" = 1 ] && took=" ($((SECONDS - t0))s)"
	if [ "$ok" = 1 ]; then
		say "PASS $name$took"
		[ "${KEEP_LOGS:-0}" = 1 ] && keep_logs "$name" >/dev/null
	else
		say "FAIL $name$took: $FAILED_STEP"
		keep_logs "$name"
	fi
	cleanup
	[ "$ok" = 1 ]
}

# --- main ------------------------------------------------------------------------

usage() {
	echo "usage: $0 [-v] SCENARIO-DIR...   |   $0 --demo SCENARIO-DIR" >&2
	exit 2
}

runner_main() {
	local pass=0 fail=0 s
	[ "$(id -u)" = 0 ] || { echo "$0: needs root (network namespaces)" >&2; exit 2; }
	while [ $# -gt 0 ]; do
		case $1 in
		-v|--verbose) VERBOSE=1 ;;
		--demo) VERBOSE=1; [ $# -ge 2 ] || usage; set -- "$2"; break ;;
		-h|--help) usage ;;
		-*) usage ;;
		*) break ;;
		esac
		shift
	done
	[ $# -ge 1 ] || usage
	trap 'cleanup; runner_end' EXIT
	trap on_signal INT TERM
	runner_begin || { echo "$KIND: 0 passed, $# failed"; exit 2; }
	for s in "$@"; do
		[ -d "$s" ] || continue
		if run_scenario "$s"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
	done
	echo "$KIND: $pass passed, $fail failed"
	[ "$fail" = 0 ]
}
