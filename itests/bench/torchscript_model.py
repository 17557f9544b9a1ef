# A TorchScript model archive for the benchmarks (Debian's python3-torch): model.pt and model.zip in FOLDER.
#   torchscript_model.py FOLDER WIDTH HIDDEN ARCH DEPTH [SEED]   ARCH: mlp (WIDTH-HIDDEN-HIDDEN-1) or cnn
import json, sys, torch, zipfile
folder, width, hidden, arch, depth = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
torch.manual_seed(int(sys.argv[6]) if len(sys.argv) > 6 else 0)
if arch == "cnn":
    # a 1-D convolutional net over a window of `width` samples: `depth` layers of `hidden` channels, kernel 5
    class Cnn(torch.nn.Module):
        def __init__(self):
            super().__init__()
            layers = [torch.nn.Conv1d(1, hidden, 5, padding=2), torch.nn.ReLU()]
            for _ in range(depth - 1):
                layers += [torch.nn.Conv1d(hidden, hidden, 5, padding=2), torch.nn.ReLU()]
            self.body = torch.nn.Sequential(*layers)
            self.head = torch.nn.Linear(hidden, 1)
        def forward(self, x):
            return self.head(self.body(x.unsqueeze(1)).mean(dim=2))
    m = Cnn().eval()
    torch.jit.save(torch.jit.trace(m, torch.zeros(2, width)), folder + "/model.pt")
else:
    m = torch.nn.Sequential(torch.nn.Linear(width, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, hidden),
                            torch.nn.ReLU(), torch.nn.Linear(hidden, 1)).eval()
    torch.jit.save(torch.jit.script(m), folder + "/model.pt")
spec = {"format": "torchscript", "inputs": [{"name": "x", "shape": [-1, width]}],
        "outputs": [{"name": "y", "shape": [-1, 1]}]}
with zipfile.ZipFile(folder + "/model.zip", "w") as z:
    z.write(folder + "/model.pt", "model.pt")
    z.writestr("model.json", json.dumps(spec))
