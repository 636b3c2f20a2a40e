# SPDX-License-Identifier: AGPL-3.0-or-later
# helpers.sh - sourced by the PostgreSQL suites that run serve nodes
# (outage.sh, tls.sh, failover.sh), after cluster.sh: tests/lib.sh (the
# counts, finish), free ports, a node and its wait.
#   ok / bad WHY       count a check (bad prints FAIL and why)
#   free_ports N       N free TCP ports of loopback below 32768 (above
#                      it, the kernel's own for outgoing connections)
#   serve_node PORT ORIGIN [ARGS]  a serve node, its pid printed; its
#                      output in node.PORT.log
#   wait_up URL        until URL/login answers (10 s, else exit 1)
#   balancer DIR PORT NODEPORT...  nginx on PORT, an upstream of the
#                      nodes as docs/deploy.md sets it up (a failed node
#                      left out for 2 s, a request sent on only when no
#                      node took it); its pid in DIR/nginx.pid
. "$ROOT/tests/lib.sh"
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
balancer() {
	d=$1 port=$2; shift 2
	{
		cat <<NGX
user root;
worker_processes 1;
pid $d/nginx.pid;
error_log $d/nginx.err;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $d/nginx-body;
	proxy_temp_path $d/nginx-proxy;
	upstream securebase {
NGX
		for n in "$@"; do
			echo "		server 127.0.0.1:$n max_fails=1 fail_timeout=2s;"
		done
		cat <<NGX
	}
	server {
		listen 127.0.0.1:$port;
		location / {
			proxy_pass http://securebase;
			proxy_set_header Host \$host;
			proxy_set_header X-Real-IP \$remote_addr;
			proxy_next_upstream error timeout;
		}
	}
}
NGX
	} > "$d/nginx.conf"
	nginx -c "$d/nginx.conf"
}
