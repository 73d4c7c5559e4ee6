#!/bin/bash
# bench.bash - vanthu-milter against a no-op libmilter filter, over unix:
# and inet:, with the four benchmark messages; prints a table.
#
#	sh tests/bench/bench.sh [REPEAT]	(default 3)
#
# For every filter (noop_milter, vanthu-milter), transport (unix, inet)
# and message (plain 5 KB, one PDF 150 KB, three documents 600 KB, one
# 10 MB attachment) a fresh filter is started and build/bench/milter_load
# runs REPEAT times with CONN connections (default 4).  A row shows the
# median msg/s with the lowest and highest run, the median of the runs'
# p50 and p99 end-of-message latency, how much the filter's peak RSS grew
# over the REPEAT runs and the largest peak RSS of a child (vanthu's
# analysis workers).  Then vanthu's mean time a message in each step
# of its end, from its StatsFile; its RSS growth for one 10 MB message on a
# fresh daemon, 100 idle connections held while the load runs, and the
# plain case with an MTA that writes every packet on its own (--split).
# Then the CPU time a message of the filter, its workers and the load
# client, how much of the machine stayed idle, and the rate the cores
# would allow were they all busy with this work and nothing else.
# Every message is new (milter_load --vary): its own Message-ID, and
# documents with numbers and bytes of their own, so that vanthu stores
# and registers each one as it would real mail.
# Before the table and after it, the disk where the spool lives (dd):
# 4 KB writes each synced, and 64 MB written and fsync'd; much of the
# noise between runs on a shared machine is there.
# Last, the issue's targets, met or not.
#
# Environment: CONN (4), SCALE (1: multiplies the message counts),
# VANTHU_BUILD (build).  Uses a private temp dir and free ports; stops
# only the processes it started.
set -u
top=${VANTHU_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${VANTHU_BUILD:-build}
case $build in /*) ;; *) build="$top/$build" ;; esac
repeat=${1:-3}
conn=${CONN:-4}
scale=${SCALE:-1}
load="$build/bench/milter_load"
for b in "$load" "$build/bench/noop_milter" "$build/vanthu-milter"; do
	[ -x "$b" ] || { echo "bench: $b is missing: run make all bench" >&2; exit 1; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanthu-bench.XXXXXX")
filter_pid=
nstart=0

cleanup() {
	stop_filter
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# disk_probe WHEN: one line on the disk under $tmp, from dd's own figures.
disk_probe() {
	local sync bulk
	sync=$(dd if=/dev/zero of="$tmp/probe" bs=4k count=200 oflag=dsync 2>&1 |
		sed -n 's/.* copied, \([0-9.]*\) s.*/\1/p')
	bulk=$(dd if=/dev/zero of="$tmp/probe" bs=1M count=64 conv=fsync 2>&1 |
		sed -n 's/.* copied, .*, \(.*\)$/\1/p')
	rm -f "$tmp/probe"
	echo "# disk $1: 4 KB synced writes $(awk -v t="${sync:-0}" 'BEGIN {printf "%.2f", t * 1000 / 200}') ms each; 64 MB with fsync at ${bulk:-?}"
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_filter NAME TRANSPORT: sets $spec and $filter_pid.
start_filter() {
	local name=$1 t=$2 log="$tmp/$1-$2.log"
	if [ "$t" = unix ]; then
		spec="unix:$tmp/$name.sock"
	else
		spec="inet:$(free_port)@127.0.0.1"
	fi
	if [ "$name" = noop ]; then
		"$build/bench/noop_milter" -p "$spec" 2>"$log" &
	else
		# A new spool each time, the old ones kept until the end: a
		# deletion of thousands of files makes ext4 without a journal
		# slow to allocate inodes for half a minute, which would charge
		# one row for the last one's clean-up.
		nstart=$((nstart + 1))
		cat >"$tmp/vanthu.conf" <<EOF
Socket $spec
Syslog no
LogLevel warning
Spool $tmp/spool.$nstart
Database $tmp/register.sqlite
Domains binhdinh.gov.vn
OfficialDomains *.gov.vn
InternalHosts 10.0.0.0/8
StatsFile $tmp/stats.$nstart.prom
StatsInterval 1
EOF
		"$build/vanthu-milter" -f -c "$tmp/vanthu.conf" 2>"$log" &
	fi
	filter_pid=$!
	for _ in $(seq 100); do
		if [ "$t" = unix ]; then
			[ -S "${spec#unix:}" ] && break
		else
			port=${spec#inet:}
			python3 -c "import socket; socket.create_connection(('127.0.0.1', ${port%@*}), 1).close()" \
				2>/dev/null && break
		fi
		sleep 0.1
	done
	# vanthu-milter's workers start after the socket: let them settle.
	sleep 0.5
	kill -0 "$filter_pid" 2>/dev/null || { echo "bench: $name did not start:"; cat "$log"; exit 1; }
}

stop_filter() {
	[ -n "$filter_pid" ] || return 0
	kill -TERM "$filter_pid" 2>/dev/null
	for _ in $(seq 50); do kill -0 "$filter_pid" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$filter_pid" 2>/dev/null
	wait "$filter_pid" 2>/dev/null
	filter_pid=
}

field() {	# field KEY LINE
	echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

# steps_of FILE: vanthu's mean time a message in each step, from its
# StatsFile: "analysis rules document_store register" in ms.
steps_of() {
	awk '/^vanthu_step_seconds_(sum|count)/ {
		split($1, a, "\""); k = a[2]
		if ($1 ~ /_sum/) sum[k] = $2; else n[k] = $2
	}
	END {
		split("analysis rules document_store register", order, " ")
		for (i = 1; i <= 4; i++)
			printf "%s%.2f", (i > 1 ? " " : ""),
			    n[order[i]] ? 1000 * sum[order[i]] / n[order[i]] : 0
	}' "$1" 2>/dev/null
}

# run_row NAME TRANSPORT CASE MSGS: one table row; remembers the median.
declare -A rate p99 steps cpu
run_row() {
	local name=$1 t=$2 c=$3 m=$4 lines=() line rates p50s p99s first last
	start_filter "$name" "$t"
	for r in $(seq "$repeat"); do
		line=$("$load" -s "$spec" -f "$tmp/msg/$c.eml" -c "$conn" -m "$m" --vary \
			--pid "$filter_pid" --label "$name-$t-$c" | grep '^RESULT')
		[ "$(field errors "$line")" = 0 ] || echo "# $name $t $c run $r: errors: $line"
		lines+=("$line")
	done
	stop_filter
	[ "$name" = vanthu ] && steps[$t-$c]=$(steps_of "$tmp/stats.$nstart.prom")
	rates=$(for l in "${lines[@]}"; do field rate "$l"; done)
	p50s=$(for l in "${lines[@]}"; do field p50 "$l"; done | median)
	p99s=$(for l in "${lines[@]}"; do field p99 "$l"; done | median)
	first=$(field hwm_before "${lines[0]}")
	last=$(field hwm_after "${lines[$((${#lines[@]} - 1))]}")
	rate[$name-$t-$c]=$(echo "$rates" | median)
	cpu[$name-$t-$c]=$(for k in cpu_filter cpu_children cpu_client idle steal; do
		for l in "${lines[@]}"; do field $k "$l"; done | median
	done | tr '\n' ' ')
	p99[$name-$t-$c]=$p99s
	printf "%-7s %-5s %-7s %9.0f  %6.0f-%-6.0f %9.2f %9.2f %8.1f %8.1f\n" \
		"$c" "$t" "$name" "${rate[$name-$t-$c]}" \
		"$(echo "$rates" | sort -g | head -1)" "$(echo "$rates" | sort -g | tail -1)" \
		"$p50s" "$p99s" "$(awk -v a="$last" -v b="$first" 'BEGIN {print (a - b) / 1024}')" \
		"$(for l in "${lines[@]}"; do field child_hwm "$l"; done | sort -g | tail -1 |
		   awk '{print $1 / 1024}')"
}

python3 "$top/tests/bench/make_messages.py" "$tmp/msg" >/dev/null || exit 1
vanthu_version=$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)
echo "# $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), vanthu $vanthu_version"
echo "# $conn connections, $repeat runs a row; msg/s median (lowest-highest), latency in ms"
echo "# (end of message: last body byte to final reply), peak RSS growth and worker peak in MB"
disk_probe before
printf "%-7s %-5s %-7s %9s  %-13s %9s %9s %8s %8s\n" case sock filter msg/s spread p50 p99 rss+ worker
declare -A count=([plain]=1000 [pdf1]=250 [docs3]=100 [big]=4)
for c in plain pdf1 docs3 big; do
	for t in unix inet; do
		for name in noop vanthu; do
			run_row "$name" "$t" "$c" $((count[$c] * scale))
		done
	done
done
disk_probe after

echo
echo "# vanthu-milter, mean ms a message spent in each step of its end (its StatsFile):"
printf "#   %-7s %-5s %9s %9s %15s %9s\n" case sock analysis rules document_store register
for c in plain pdf1 docs3 big; do
	for t in unix inet; do
		read -r a r d g <<<"${steps[$t-$c]:-0 0 0 0}"
		printf "#   %-7s %-5s %9s %9s %15s %9s\n" "$c" "$t" "$a" "$r" "$d" "$g"
	done
done

echo "# CPU ms a message (medians of the runs): the filter, its workers, the load"
echo "# client; % of the machine idle and stolen; msg/s the $(nproc) cores allow at that CPU:"
printf "#   %-7s %-5s %-7s %8s %8s %8s %6s %6s %8s\n" case sock filter filter workers client idle steal allow
for c in plain pdf1 docs3 big; do
	for t in unix inet; do
		for name in noop vanthu; do
			read -r cf ck cl ci cs <<<"${cpu[$name-$t-$c]:-0 0 0 0 0}"
			printf "#   %-7s %-5s %-7s %8s %8s %8s %6s %6s %8s\n" "$c" "$t" "$name" \
				"$cf" "$ck" "$cl" "$ci" "$cs" "$(awk -v a="$cf" -v b="$ck" -v d="$cl" \
				-v n="$(nproc)" 'BEGIN {t = a + b + d; printf "%.0f", (t > 0 ? n * 1000 / t : 0)}')"
		done
	done
done

echo "# vanthu-milter, fresh daemon, one connection, one 10 MB message:"
start_filter vanthu unix
line=$("$load" -s "$spec" -f "$tmp/msg/big.eml" -c 1 -m 1 --vary --pid "$filter_pid" --label big1 | grep '^RESULT')
stop_filter
big_growth=$(( $(field hwm_after "$line") - $(field hwm_before "$line") ))
echo "#   peak RSS $(field hwm_before "$line") kB before, $(field hwm_after "$line") kB after: +$big_growth kB"

echo "# vanthu-milter with 100 idle connections held during the plain load:"
hold_ok=1
for t in unix inet; do
	start_filter vanthu "$t"
	"$load" -s "$spec" -f "$tmp/msg/plain.eml" -c "$conn" -m 200 --vary --hold 100 \
		--pid "$filter_pid" --label "hold-$t" | sed 's/^/#   /'
	[ "${PIPESTATUS[0]}" -eq 0 ] || hold_ok=0
	stop_filter
done

echo "# an MTA that writes each packet on its own (not Postfix 3.7), plain, inet:"
for name in noop vanthu; do
	start_filter "$name" inet
	line=$("$load" -s "$spec" -f "$tmp/msg/plain.eml" -c "$conn" -m 20 --vary --split \
		--label "split-$name" | grep '^RESULT')
	stop_filter
	echo "#   $name: $(field rate "$line") msg/s, end of message p50 $(field p50 "$line") ms"
done

echo
echo "# targets (4 connections, unix socket; inet in brackets):"
target() {	# target TEXT OK
	printf "#   %-58s %s\n" "$1" "$([ "$2" = 1 ] && echo met || echo NOT met)"
}
ge() { awk -v a="$1" -v b="$2" 'BEGIN {print (a >= b) ? 1 : 0}'; }
half=$(awk -v n="${rate[noop-unix-plain]}" 'BEGIN {print n / 2}')
target "plain >= 50% of no-op: ${rate[vanthu-unix-plain]} vs $half (${rate[vanthu-inet-plain]})" \
	"$(ge "${rate[vanthu-unix-plain]}" "$half")"
target "one PDF >= 2000 msg/s: ${rate[vanthu-unix-pdf1]} (${rate[vanthu-inet-pdf1]})" \
	"$(ge "${rate[vanthu-unix-pdf1]}" 2000)"
target "three documents >= 700 msg/s: ${rate[vanthu-unix-docs3]} (${rate[vanthu-inet-docs3]})" \
	"$(ge "${rate[vanthu-unix-docs3]}" 700)"
target "10 MB attachment >= 100 msg/s: ${rate[vanthu-unix-big]} (${rate[vanthu-inet-big]})" \
	"$(ge "${rate[vanthu-unix-big]}" 100)"
target "RSS grows < 5 MB for a 10 MB message: +$big_growth kB" "$(ge 5120 "$big_growth")"
target "answers with 100 connections open" "$hold_ok"
target "inet without a Nagle stall: plain p99 ${p99[vanthu-inet-plain]} ms < 40 ms" \
	"$(ge 40 "${p99[vanthu-inet-plain]}")"
echo "#   inet/unix, plain: vanthu $(awk -v a="${rate[vanthu-inet-plain]}" -v b="${rate[vanthu-unix-plain]}" \
	'BEGIN {printf "%.2f", a / b}'), no-op $(awk -v a="${rate[noop-inet-plain]}" \
	-v b="${rate[noop-unix-plain]}" 'BEGIN {printf "%.2f", a / b}')"
