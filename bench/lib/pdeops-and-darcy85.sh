# Sourced by benchmark drivers: builds the CLI (Release), sets $pdeops to it and $train to
# $data/darcy85-train.h5, generating $samples Darcy samples at 85x85 there when the file is absent.
# Expects $root, $data and $samples.
dotnet build "$root/Cli" -c Release -v q -nologo >/dev/null
pdeops="$root/Cli/bin/Release/net10.0/pdeops"
train="$data/darcy85-train.h5"
if [ ! -f "$train" ]; then
  mkdir -p "$data"
  "$pdeops" generate darcy --samples "$samples" --res 85 --seed 0 --out "$train"
fi
