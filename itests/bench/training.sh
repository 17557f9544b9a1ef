#!/usr/bin/env bash
# Training benchmark: epochs/s of the same MLP (16-64-64-1, Adam 1e-3, batches of 64, MSE) on the same data (a CSV
# written once) and thread count, the gateway's training path (DJL, PyTorch engine) beside Debian's python3-torch,
# alternating within each run; ratio DJL / PyTorch per run, then medians.
#
#   itests/bench/training.sh [runs] [epochs] [rows]        (defaults: 3 runs, 5 epochs, 20000 rows)
#   THREADS=1 itests/bench/training.sh ...                  (intra-op threads on both sides; default the cores)
source "$(dirname "$0")/lib.sh"
runs=${1:-3}; epochs=${2:-5}; rows=${3:-20000}
threads=${THREADS:-$(nproc)}
tar xzf "$archive" -C "$work" --wildcards '*/lib/pytorch/*'
lib=$(ls -d "$work"/*/lib/pytorch)
/usr/bin/python3 - "$work/data.csv" "$rows" <<'PY'
import sys, torch
torch.manual_seed(0)
x = torch.randn(int(sys.argv[2]), 16)
y = torch.sin(x).sum(1, keepdim=True) + 0.01 * torch.randn(x.shape[0], 1)
with open(sys.argv[1], "w") as f:
    f.write(",".join("x%d" % i for i in range(16)) + ",y\n")
    for row, target in zip(x.tolist(), y.tolist()):
        f.write(",".join("%.7g" % v for v in row) + ",%.7g\n" % target[0])
PY
torch_run() {
  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 - "$work/data.csv" "$epochs" "$threads" <<'PY'
import csv, sys, time, torch
path, epochs, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
torch.manual_seed(1)
rows = list(csv.reader(open(path)))[1:]
data = torch.tensor([[float(v) for v in r] for r in rows])
x, y = data[:, :16].contiguous(), data[:, 16:].contiguous()
model = torch.nn.Sequential(torch.nn.Linear(16, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64), torch.nn.ReLU(),
                            torch.nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = torch.nn.MSELoss()
def epoch():
    order = torch.randperm(x.shape[0])
    total = 0.0
    for i in range(0, x.shape[0], 64):
        idx = order[i:i + 64]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
        total += loss.item() * idx.shape[0]
    return total / x.shape[0]
epoch()  # warm-up
start = time.perf_counter()
for _ in range(epochs):
    last = epoch()
print("torch epochs/s %.3f loss %.5f rows %d" % (epochs / (time.perf_counter() - start), last, x.shape[0]))
PY
}
djl_run() {
  OMP_WAIT_POLICY=PASSIVE java -Xmx1g -DPYTORCH_LIBRARY_PATH="$lib" -Dai.djl.offline=true -DDJL_CACHE_DIR="$work/djl" \
    -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 -cp "$cp" \
    io.edgeai.training.internal.TrainingBench "$work/data.csv" "$epochs" 2>/dev/null
}
ratios=(); djl=(); torch=()
for run in $(seq 1 "$runs"); do
  t=$(torch_run); d=$(djl_run)
  echo "run $run: $t | $d"
  te=$(echo "$t" | awk '{print $3}'); de=$(echo "$d" | awk '{print $3}')
  torch+=("$te"); djl+=("$de"); ratios+=("$(awk -v a="$de" -v b="$te" 'BEGIN {printf "%.3f", a / b}')")
done
echo "median epochs/s: djl $(median "${djl[@]}"), torch $(median "${torch[@]}"); median ratio djl/torch $(median "${ratios[@]}") (per run: ${ratios[*]})"
echo "threads $threads, $(nproc) cores, torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), $(java -version 2>&1 | sed -n 1p)"
