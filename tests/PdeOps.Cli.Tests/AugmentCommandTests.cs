using System.Text.Json;

namespace PdeOps.Cli.Tests;

/// <summary>`pdeops train --augment dihedral`: recorded in the run, refused where the symmetries cannot apply.</summary>
[Collection("console")]
public sealed class AugmentCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-cli-augment-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string PathOf(string name) => Path.Combine(_dir, name);

    [Fact]
    public void DihedralAugmentationTrainsAndIsRecordedInTheRun()
    {
        Assert.Equal(0, CliRunner.Run("generate", "darcy", "--samples", "6", "--res", "17", "--seed", "1", "--out", PathOf("d.h5")).Exit);
        string run = PathOf("run");
        var (exit, _, error) = CliRunner.Run("train", "--model", "fno", "--data", PathOf("d.h5"), "--test", PathOf("d.h5"), "--epochs", "1",
            "--width", "4", "--modes", "3", "--layers", "1", "--augment", "dihedral", "--out", run, "--threads", "1");
        Assert.True(exit == 0, error);
        var training = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json"))).RootElement.GetProperty("training");
        Assert.Equal("dihedral", training.GetProperty("augmentation").GetString());
    }

    [Fact]
    public void AugmentationThatCannotApplyIsAUsageError()
    {
        Assert.Equal(0, CliRunner.Run("generate", "darcy", "--samples", "4", "--res", "17", "--seed", "1", "--out", PathOf("d.h5")).Exit);
        Assert.Equal(0, CliRunner.Run("generate", "burgers", "--samples", "2", "--res", "64", "--fine-res", "256", "--seed", "1", "--out", PathOf("b.h5")).Exit);
        foreach (var (data, settings, named) in new[]
        {
            ("d.h5", "--augment rotate", "'rotate' not recognized"),
            ("d.h5", "--augment dihedral --normalization pointwise", "not pointwise"),
            ("b.h5", "--augment dihedral", "needs 2D data on a square grid"),
        })
        {
            var (exit, _, error) = CliRunner.Run(["train", "--model", "fno", "--data", PathOf(data), "--test", PathOf(data), .. settings.Split(' '), "--out", PathOf("bad")]);
            Assert.Equal(2, exit);
            Assert.Contains(named, error);
            Assert.Single(error.Trim().Split('\n'));
        }
        Assert.False(Directory.Exists(PathOf("bad")));
    }
}
