#!/bin/bash
# Measures Ctrl+C on `dotnet run --project TaxiAspire.AppHost` (local mode) in tmux: how long until the AppHost,
# every service process, the local PostgreSQL and Aspire's orchestrator (DCP) are gone. DCP is three kinds of process:
# `dcp start-apiserver --monitor <AppHost>`, the `dcp run-controllers --monitor <apiserver>` it starts, and one
# `dcp monitor-process --monitor <run-controllers>` per executable; the API server and all of them are timed apart.
cd "$(dirname "$0")/../.."
session=ctrlc-$$
pg_before=$(pgrep -x postgres | tr '\n' ' ')
tmux new-session -d -s $session -x 200 -y 50 "dotnet run --project TaxiAspire.AppHost --no-build -- --infrastructure local; sleep 600"
# Wait for the services: every project started by the AppHost carries ServiceLifetime__AppHostProcessId.
marked() { grep -l "ServiceLifetime__AppHostProcessId=" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3; }
services_up() { for s in Producer StreamProcessor Trainer Api; do for p in $(marked); do tr '\0' ' ' < /proc/$p/cmdline 2>/dev/null | grep -v " run " | grep -q "TaxiAspire.$s" && continue 2; done; return 1; done; return 0; }
for i in $(seq 1 1200); do services_up && curl -sf localhost:5080/health >/dev/null && break; sleep 0.25; done
sleep_until_settled=0
apphost=$(pgrep -f "TaxiAspire.AppHost/bin/.*/TaxiAspire.AppHost" | head -1)
# DCP's processes, found through their --monitor chain from this AppHost.
monitoring() { for m in $1; do pgrep -f "tools/dcp $2 .*--monitor $m( |$)"; done | tr '\n' ' '; }
dcp=$(monitoring "$apphost" start-apiserver)
controllers=$(monitoring "$dcp" run-controllers)
dcp_all="$dcp $controllers $(monitoring "$controllers" monitor-process)"
pg=$(for p in $(pgrep -x postgres); do case " $pg_before " in *" $p "*) ;; *) echo -n "$p ";; esac; done)
echo "apphost=$apphost dcp=[$dcp_all] postgres=[$pg] services=[$(marked | tr '\n' ' ')]"
start=$(date +%s.%N)
tmux send-keys -t $session C-c
t_apphost=""; t_services=""; t_dcp=""; t_dcp_all=""; t_pg=""
for i in $(seq 1 600); do
  now=$(date +%s.%N); el=$(echo "$now - $start" | bc)
  [ -z "$t_apphost" ] && ! kill -0 $apphost 2>/dev/null && t_apphost=$el
  [ -z "$t_services" ] && [ -z "$(marked)" ] && t_services=$el
  alive() { for p in $1; do kill -0 $p 2>/dev/null && return 0; done; return 1; }
  [ -z "$t_dcp" ] && ! alive "$dcp" && t_dcp=$el
  [ -z "$t_dcp_all" ] && ! alive "$dcp_all" && t_dcp_all=$el
  [ -z "$t_pg" ] && ! alive "$pg" && t_pg=$el
  [ -n "$t_apphost" ] && [ -n "$t_services" ] && [ -n "$t_dcp_all" ] && [ -n "$t_pg" ] && break
  sleep 0.1
done
echo "after Ctrl+C: AppHost gone ${t_apphost}s, every service process gone ${t_services}s, PostgreSQL gone ${t_pg}s, DCP API server gone ${t_dcp}s, every DCP process gone ${t_dcp_all}s"
echo "left: services [$(marked | tr '\n' ' ')] DCP [$(for p in $dcp_all; do kill -0 $p 2>/dev/null && echo -n "$p "; done)]"
uptime
tmux kill-session -t $session
