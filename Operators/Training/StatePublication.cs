using PdeOps.Operators.Checkpoints;

namespace PdeOps.Operators.Training;

/// <summary>
/// The last step of saving a resumable state: the state's files are already written in full; the
/// state file naming them replaces the previous one by a rename (the publication), then weight and
/// optimizer files (and leftovers of interrupted writes) it does not name are removed. A kill or a
/// full disk at any moment leaves a published state whose files are all present.
/// </summary>
internal static class StatePublication
{
    public static void Publish(string folder, string stateFile, string json, params string[] keep)
    {
        OperatorCheckpoint.WriteAtomically(Path.Combine(folder, stateFile), json);
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            string name = Path.GetFileName(file);
            if (name != stateFile && !keep.Contains(name) && (name.EndsWith(".bin", StringComparison.Ordinal) || name.EndsWith(".partial", StringComparison.Ordinal)))
                File.Delete(file);
        }
    }
}
