using System.Text.Json.Nodes;
using PdeOps.Cli.Infrastructure;
using PdeOps.Datasets.Generation;
using PdeOps.Distributed;

namespace PdeOps.Cli.Workflows;

/// <summary>
/// Which shard of a generation run this process writes, and where: <c>--shard k/n</c> as given
/// (to --out itself), or <c>--shard auto</c>, which takes k/n from the launch (the rank under
/// mpirun or srun, else the task of a Slurm job array) and writes OUT-STEM.shard-K-of-N.EXT beside
/// --out; with <c>--merge</c> the ranks of one launch meet when their shards are done and rank 0
/// joins them into --out.
/// </summary>
public sealed record ShardPlacement(ShardSpec Shard, string Path, string Target, bool Merge, bool Overwrite)
{
    /// <summary>Resolves the --shard and --merge options of a run writing <paramref name="target"/>.</summary>
    /// <exception cref="UsageException">The options do not fit the launch.</exception>
    public static ShardPlacement Resolve(string? shard, bool merge, string target, bool overwrite)
    {
        var launch = DistributedLaunch.Current();
        if (shard != "auto")
        {
            if (merge) throw new UsageException("--merge goes with --shard auto under mpirun or srun; to join shard files written otherwise, run 'pdeops datasets merge'");
            if (launch.Size > 1)
                throw new UsageException($"started as rank {launch.Rank} of {launch.Size} by {launch.LauncherName} without --shard auto: every rank would write the same --out; pass --shard auto");
            return new ShardPlacement(Parse(shard), target, target, false, overwrite);
        }
        ShardSpec spec;
        if (launch.Launched) spec = new ShardSpec(launch.Rank, launch.Size);
        else if (launch is { ArrayIndex: int k, ArrayCount: int n })
        {
            if (k < 0 || k >= n) throw new UsageException($"--shard auto: job array task {k} (counted from the array's first index) is not below the array's {n} tasks; use contiguous indices such as --array=0-{n - 1}");
            if (merge) throw new UsageException("--merge needs the ranks of one mpirun or srun launch; the tasks of a job array are separate jobs: run 'pdeops datasets merge' in a job that depends on the array");
            spec = new ShardSpec(k, n);
        }
        else throw new UsageException("--shard auto takes k/n from mpirun, srun or a Slurm job array, and none started this process; give --shard k/n");
        if (merge && File.Exists(target) && !overwrite) throw new UsageException($"{target} exists; choose another --out or pass --overwrite");
        return new ShardPlacement(spec, PathOf(target, spec), target, merge, overwrite);
    }

    /// <summary>The file of shard <paramref name="spec"/> of a run writing <paramref name="target"/>: data/darcy.h5 -> data/darcy.shard-0-of-4.h5.</summary>
    public static string PathOf(string target, ShardSpec spec)
    {
        string folder = System.IO.Path.GetDirectoryName(target) ?? "";
        return System.IO.Path.Combine(folder, $"{System.IO.Path.GetFileNameWithoutExtension(target)}.shard-{spec.Index}-of-{spec.Count}{System.IO.Path.GetExtension(target)}");
    }

    /// <summary>Joins the shards into <see cref="Target"/> on rank 0 and removes them; every rank returns or fails together.</summary>
    public void MergeShards(ICommunicator world, bool asJson)
    {
        ArgumentNullException.ThrowIfNull(world);
        var shards = Enumerable.Range(0, Shard.Count).Select(k => PathOf(Target, new ShardSpec(k, Shard.Count))).ToList();
        long samples = world.Together(() =>
        {
            if (world.Rank != 0) return 0L;
            long merged = ShardMerge.Merge(shards, Target, Overwrite);
            foreach (var file in shards) File.Delete(file);
            return merged;
        });
        if (world.Rank != 0) return;
        string full = System.IO.Path.GetFullPath(Target);
        Console.WriteLine(asJson
            ? new JsonObject { ["merged"] = full, ["samples"] = samples, ["shards"] = shards.Count }.ToJsonString(CommonOptions.JsonStyle)
            : $"merged {shards.Count} shards into {full}: {samples} samples");
    }

    static ShardSpec Parse(string? text)
    {
        if (text is null) return ShardSpec.Whole;
        try { return ShardSpec.Parse(text); }
        catch (FormatException e) { throw new UsageException($"--shard: {e.Message}"); }
    }
}
