# helpers.sh - sourced by the PostgreSQL suites that run serve nodes
# (outage.sh, tls.sh, failover.sh), after cluster.sh: the counts, free
# ports, a node and its wait.
#   ok / bad WHY       count a check (bad prints FAIL and why)
#   free_ports N       N free TCP ports of loopback below 32768 (above
#                      it, the kernel's own for outgoing connections)
#   serve_node PORT ORIGIN [ARGS]  a serve node, its pid printed; its
#                      output in node.PORT.log
#   wait_up URL        until URL/login answers (10 s, else exit 1)
passed=0; failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
free_ports() {
	/usr/bin/python3 -c 'import random, socket, sys
got = []
while len(got) < int(sys.argv[1]):
    x = socket.socket()
    try:
        x.bind(("127.0.0.1", random.randint(20000, 32000)))
    except OSError:
        continue
    got.append(x)
print(" ".join(str(x.getsockname()[1]) for x in got))' "$1"
}
serve_node() {
	p=$1 o=$2; shift 2
	$SB serve --listen "127.0.0.1:$p" --origin "$o" "$@" >> "node.$p.log" 2>&1 &
	echo $!
}
wait_up() {
	i=0
	until curl -s -o /dev/null "$1/login"; do
		i=$((i + 1)); [ $i -gt 100 ] && { echo "$1 did not start"; cat node.*.log; exit 1; }
		sleep 0.1
	done
}
