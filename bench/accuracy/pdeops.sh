# Sourced by the accuracy scripts: sets $pdeops to PDEOPS (a build copied aside, so the tree can be
# rebuilt while a run goes on) or else to a fresh Release build of the tree. Needs $root.
if [ -n "${PDEOPS:-}" ]; then
  pdeops=$PDEOPS
else
  dotnet build "$root/Cli" -c Release -v q -nologo >/dev/null
  pdeops="$root/Cli/bin/Release/net10.0/pdeops"
fi
