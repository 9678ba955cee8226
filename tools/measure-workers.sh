#!/usr/bin/env bash
# Scale-out measurement (issue 16), in one run: a sweep of 8 short stock-lstm trials locally, on 1 worker and on
# 2 workers (each worker one wasm thread); then kill -9 of a worker mid-sweep; then the S3 cache.
set -euo pipefail
REPO=${REPO:-$(cd "$(dirname "$0")/.." && pwd)}
SG="node $REPO/apps/runner/bin/stagegraph.js"
W=$(mktemp -d /tmp/ms16-XXXX); cd "$W"; echo "workdir $W"
sed 's#"./pipeline.schema.json"#"'$REPO'/pipelines/pipeline.schema.json"#' "$REPO/pipelines/stock-lstm.json" > stock-lstm.json
SWEEP='sweep={"method":"grid","params":{"stages.train.params.units":[16,32,50,64],"stages.train.params.learningRate":[0.001,0.003]},"objective":{"metric":"rmse","goal":"min"}}'
SETS=(--set "$SWEEP" --set stages.train.params.epochs=8)
PORT=6479; redis-server --port $PORT --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --logfile "$W/redis.log"; sleep 0.5
URL=redis://127.0.0.1:$PORT
now() { date +%s.%N; }
objectives() { node -e 'const s=require(process.argv[1]); console.log(s.trials.map(t=>`${t.trial}:${JSON.stringify(t.params)}=${t.objective}`).join("\n"))' "$(ls -d $PWD/$1/sweeps/*/sweep.json | tail -1)"; }
worker() { # queue cache-dir log [cwd]
  (cd "${4:-$W}" && exec $SG worker --redis $URL --queue "$1" --cache-dir "$2" --threads 1 --lock-duration 5 > "$W/$3" 2>&1) & echo $!; }
waitready() { until grep -q 'taking stage jobs' "$W/$1"; do sleep 0.2; done; }

if [ -z "${ONLY_S3:-}" ]; then
echo "== local, one process, 1 thread"
t0=$(now); $SG sweep stock-lstm.json "${SETS[@]}" --threads 1 --cache-dir c-local --out r-local > local.out; t1=$(now)
tail -6 local.out | head -2; echo "wall $(echo "$t1-$t0" | bc) s"

echo "== local, sweep --jobs 2 (2 processes, 1 thread each): the same machine's ceiling without a queue"
t0=$(now); $SG sweep stock-lstm.json "${SETS[@]}" --jobs 2 --cache-dir c-jobs2 --out r-jobs2 > jobs2.out; t1=$(now)
echo "wall $(echo "$t1-$t0" | bc) s"

echo "== 1 worker"
w1=$(worker q1 c-one w1.log); waitready w1.log
t0=$(now); $SG sweep stock-lstm.json "${SETS[@]}" --executor bullmq --redis $URL --queue q1 --cache-dir c-one --out r-one > one.out; t1=$(now)
ONE=$(echo "$t1-$t0" | bc); kill $w1; grep 'stage runs' one.out; echo "wall $ONE s"

echo "== 2 workers"
a=$(worker q2 c-two w2a.log); b=$(worker q2 c-two w2b.log); waitready w2a.log; waitready w2b.log
t0=$(now); $SG sweep stock-lstm.json "${SETS[@]}" --executor bullmq --redis $URL --queue q2 --cache-dir c-two --out r-two > two.out; t1=$(now)
TWO=$(echo "$t1-$t0" | bc); kill $a $b; grep 'stage runs' two.out; echo "wall $TWO s"
echo "jobs per worker: $(grep -c 'done in' w2a.log) / $(grep -c 'done in' w2b.log)"
echo "ratio 1 worker / 2 workers: $(echo "scale=2; $ONE/$TWO" | bc)"
objectives r-local > o-local; objectives r-one > o-one; objectives r-two > o-two
cat o-local
objectives r-jobs2 > o-jobs2; cmp o-local o-one && cmp o-local o-two && cmp o-local o-jobs2 && echo "objectives per trial: identical (local, 1 worker, 2 workers)"

echo "== kill -9 of a worker mid-sweep"
a=$(worker q3 c-kill w3a.log); b=$(worker q3 c-kill w3b.log); waitready w3a.log; waitready w3b.log
$SG sweep stock-lstm.json "${SETS[@]}" --executor bullmq --redis $URL --queue q3 --cache-dir c-kill --out r-kill > kill.out 2>&1 & s=$!
until grep -q 'train (models-lstm.train).*started' w3a.log; do sleep 0.2; done; sleep 1
echo "killing worker $a during: $(grep 'started' w3a.log | tail -1)"; kill -9 $a
wait $s; echo "sweep exit $?"; kill $b
grep 'stage runs' kill.out
objectives r-kill > o-kill; cmp o-local o-kill && echo "objectives per trial: identical to local"
echo "stages run twice: $(grep -c 'attempt 2' w3b.log)"; grep 'attempt 2' w3b.log || true

fi
echo "== S3 cache (s3rver on 127.0.0.1): workers and CLI on separate local copies, sharing the bucket"
(cd "$REPO/apps/runner" && exec node --input-type=module -e '
import S3rver from "s3rver"; import { S3Client, CreateBucketCommand } from "@aws-sdk/client-s3";
const s = new S3rver({ port: 4599, address: "127.0.0.1", directory: process.argv[1], silent: true }); await s.run();
await new S3Client({ endpoint: "http://127.0.0.1:4599", forcePathStyle: true, region: "us-east-1", credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } }).send(new CreateBucketCommand({ Bucket: "sg-cache" }));
console.log("s3rver ready"); setInterval(() => {}, 1e9);' "$W/s3data" > "$W/s3rver.log" 2>&1) & s3=$!
until grep -q ready "$W/s3rver.log" 2>/dev/null; do kill -0 $s3 || { cat "$W/s3rver.log"; exit 1; }; sleep 0.2; done
export AWS_ENDPOINT_URL=http://127.0.0.1:4599 AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1 AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
mkdir -p ma mb mc md
a=$(worker q4 s3://sg-cache/stagegraph w4a.log "$W/ma"); b=$(worker q4 s3://sg-cache/stagegraph w4b.log "$W/mb"); waitready w4a.log; waitready w4b.log
(cd mc && $SG sweep ../stock-lstm.json "${SETS[@]}" --executor bullmq --redis $URL --queue q4 --cache-dir s3://sg-cache/stagegraph --out runs > ../s3-first.out)
grep 'stage runs' s3-first.out
n1=$(cat w4a.log w4b.log | grep -c started)
(cd md && $SG sweep ../stock-lstm.json "${SETS[@]}" --executor bullmq --redis $URL --queue q4 --cache-dir s3://sg-cache/stagegraph --out runs > ../s3-second.out)
echo "second run, from a fresh local copy:"; grep -E 'stages computed' s3-second.out; grep 'runs in' s3-second.out
echo "jobs the workers ran during the second sweep: $(( $(cat w4a.log w4b.log | grep -c started) - n1 ))"
objectives mc/runs > o-s3; cat o-s3; [ -f o-local ] && cmp o-local o-s3 && echo "objectives per trial: identical to local"
kill $a $b $s3 || true; redis-cli -p $PORT shutdown nosave || true
