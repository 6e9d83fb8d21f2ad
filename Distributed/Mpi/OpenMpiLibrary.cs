using System.Runtime.InteropServices;
using System.Text;

namespace PdeOps.Distributed.Mpi;

/// <summary>
/// The MPI C API of Open MPI, loaded at run time. Open MPI's handles (MPI_Comm, MPI_Datatype,
/// MPI_Op) are addresses of exported objects (<c>ompi_mpi_comm_world</c>, <c>ompi_mpi_float</c>,
/// <c>ompi_mpi_op_sum</c>, ...), resolved here by name; MPICH and its derivatives (Intel MPI,
/// MVAPICH) use integer handles instead and are recognised and refused. The library is opened with
/// RTLD_GLOBAL, as Open MPI's plugins resolve their symbols against it. Candidates: the file in
/// <c>PDEOPS_MPI_LIBRARY</c>, then libmpi.so.40, libmpi.so, libmpi.so.12.
/// </summary>
internal sealed unsafe class OpenMpiLibrary
{
    /// <summary>Environment variable naming the MPI library to load.</summary>
    public const string LibraryVariable = "PDEOPS_MPI_LIBRARY";
    const int RtldNow = 2, RtldGlobal = 0x100;
    static readonly string[] Candidates = ["libmpi.so.40", "libmpi.so", "libmpi.so.12"];
    static readonly object Gate = new();
    static OpenMpiLibrary? _loaded;

    readonly nint _library;
    readonly delegate* unmanaged<int*, int> _initialized, _finalized;
    readonly delegate* unmanaged<int*, byte***, int> _init;
    readonly delegate* unmanaged<int> _finalize;
    readonly delegate* unmanaged<nint, int*, int> _commRank, _commSize;
    readonly delegate* unmanaged<void*, void*, int, nint, nint, nint, int> _allreduce;
    readonly delegate* unmanaged<void*, int, nint, int, nint, int> _bcast;
    readonly delegate* unmanaged<nint, int> _barrier;
    readonly delegate* unmanaged<nint, int, int> _abort;
    readonly delegate* unmanaged<byte*, int*, int> _errorString;

    OpenMpiLibrary(string name, nint library)
    {
        Name = name;
        _library = library;
        _initialized = (delegate* unmanaged<int*, int>)Export("MPI_Initialized");
        _finalized = (delegate* unmanaged<int*, int>)Export("MPI_Finalized");
        _init = (delegate* unmanaged<int*, byte***, int>)Export("MPI_Init");
        _finalize = (delegate* unmanaged<int>)Export("MPI_Finalize");
        _commRank = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_rank");
        _commSize = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_size");
        _allreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, int>)Export("MPI_Allreduce");
        _bcast = (delegate* unmanaged<void*, int, nint, int, nint, int>)Export("MPI_Bcast");
        _barrier = (delegate* unmanaged<nint, int>)Export("MPI_Barrier");
        _abort = (delegate* unmanaged<nint, int, int>)Export("MPI_Abort");
        _errorString = (delegate* unmanaged<byte*, int*, int>)Export("MPI_Error_string");
        CommWorld = Export("ompi_mpi_comm_world");
        Float = Export("ompi_mpi_float");
        Double = Export("ompi_mpi_double");
        Byte = Export("ompi_mpi_byte");
        Sum = Export("ompi_mpi_op_sum");
        Max = Export("ompi_mpi_op_max");
        Min = Export("ompi_mpi_op_min");
        Version = LibraryVersion(library) ?? "Open MPI";
    }

    /// <summary>The file that was loaded.</summary>
    public string Name { get; }
    /// <summary>The first line of MPI_Get_library_version, e.g. "Open MPI v4.1.4, package: Debian OpenMPI, ...".</summary>
    public string Version { get; }
    /// <summary>MPI_COMM_WORLD.</summary>
    public nint CommWorld { get; }
    /// <summary>MPI_FLOAT, MPI_DOUBLE, MPI_BYTE.</summary>
    public nint Float { get; }
    /// <inheritdoc cref="Float"/>
    public nint Double { get; }
    /// <inheritdoc cref="Float"/>
    public nint Byte { get; }
    /// <summary>MPI_SUM, MPI_MAX, MPI_MIN.</summary>
    public nint Sum { get; }
    /// <inheritdoc cref="Sum"/>
    public nint Max { get; }
    /// <inheritdoc cref="Sum"/>
    public nint Min { get; }

    /// <summary>Open MPI's MPI_IN_PLACE.</summary>
    public static void* InPlace => (void*)1;

    /// <summary>The loaded library, loading it on first use.</summary>
    /// <exception cref="MpiException">No MPI library loads, or the one found is not Open MPI.</exception>
    public static OpenMpiLibrary Load()
    {
        lock (Gate)
        {
            if (_loaded is not null) return _loaded;
            var tried = new List<string>();
            string[] names = Environment.GetEnvironmentVariable(LibraryVariable) is { Length: > 0 } chosen ? [chosen] : Candidates;
            foreach (var name in names)
            {
                nint handle = Open(name, out string? error);
                if (handle == 0) { tried.Add(error ?? name); continue; }
                if (!NativeLibrary.TryGetExport(handle, "ompi_mpi_comm_world", out _))
                {
                    string what = LibraryVersion(handle) ?? "not Open MPI";
                    throw new MpiException($"{name} is {what}: PdeOps talks to Open MPI only (MPICH, Intel MPI and MVAPICH use integer handles); load Open MPI's libmpi.so.40, or name it in {LibraryVariable}");
                }
                return _loaded = new OpenMpiLibrary(name, handle);
            }
            throw new MpiException($"no MPI library could be loaded ({string.Join("; ", tried)}); install Open MPI (Debian: openmpi-bin libopenmpi-dev) or name its libmpi.so in {LibraryVariable}");
        }
    }

    /// <summary>The version line of the MPI library that would be loaded, or why none can be; touches no MPI state.</summary>
    public static string Describe()
    {
        try
        {
            var library = Load();
            return $"{library.Version} ({library.Name})";
        }
        catch (MpiException e) { return e.Message; }
    }

    nint Export(string name) => NativeLibrary.TryGetExport(_library, name, out nint address)
        ? address
        : throw new MpiException($"{Name} does not export {name}: not a usable Open MPI library");

    /// <summary>MPI_Initialized.</summary>
    public bool Initialized { get { int flag; Check(_initialized(&flag), "MPI_Initialized"); return flag != 0; } }
    /// <summary>MPI_Finalized.</summary>
    public bool Finalized { get { int flag; Check(_finalized(&flag), "MPI_Finalized"); return flag != 0; } }
    /// <summary>MPI_Init without command-line arguments.</summary>
    public void Init() => Check(_init(null, null), "MPI_Init");
    /// <summary>MPI_Finalize.</summary>
    public void FinalizeMpi() => Check(_finalize(), "MPI_Finalize");
    /// <summary>MPI_Comm_rank.</summary>
    public int CommRank(nint comm) { int rank; Check(_commRank(comm, &rank), "MPI_Comm_rank"); return rank; }
    /// <summary>MPI_Comm_size.</summary>
    public int CommSize(nint comm) { int size; Check(_commSize(comm, &size), "MPI_Comm_size"); return size; }
    /// <summary>MPI_Allreduce in place.</summary>
    public void AllreduceInPlace(void* buffer, int count, nint type, nint op, nint comm) => Check(_allreduce(InPlace, buffer, count, type, op, comm), "MPI_Allreduce");
    /// <summary>MPI_Bcast.</summary>
    public void Bcast(void* buffer, int count, nint type, int root, nint comm) => Check(_bcast(buffer, count, type, root, comm), "MPI_Bcast");
    /// <summary>MPI_Barrier.</summary>
    public void Barrier(nint comm) => Check(_barrier(comm), "MPI_Barrier");
    /// <summary>MPI_Abort.</summary>
    public void Abort(nint comm, int code) => _abort(comm, code);

    void Check(int code, string call)
    {
        if (code == 0) return;
        var text = new byte[1024];
        int length = 0;
        fixed (byte* p = text)
            if (_errorString(p, &length) != 0) length = 0;
        string reason = length > 0 ? Encoding.ASCII.GetString(text, 0, Math.Min(length, text.Length)) : $"error code {code}";
        throw new MpiException($"{call} failed: {reason}");
    }

    static string? LibraryVersion(nint library)
    {
        if (!NativeLibrary.TryGetExport(library, "MPI_Get_library_version", out nint address)) return null;
        var get = (delegate* unmanaged<byte*, int*, int>)address;
        var text = new byte[8192];   // above MPI_MAX_LIBRARY_VERSION_STRING of every implementation
        int length = 0;
        fixed (byte* p = text)
            if (get(p, &length) != 0) return null;
        string version = Encoding.ASCII.GetString(text, 0, Math.Clamp(length, 0, text.Length)).TrimEnd('\0');
        return version.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
    }

    /// <summary>dlopen(name, RTLD_NOW | RTLD_GLOBAL) where libdl is reachable, else the runtime's loader.</summary>
    static nint Open(string name, out string? error)
    {
        error = null;
        foreach (var libc in new[] { "libc.so.6", "libdl.so.2" })
        {
            if (!NativeLibrary.TryLoad(libc, out nint c)) continue;
            if (!NativeLibrary.TryGetExport(c, "dlopen", out nint dlopen) || !NativeLibrary.TryGetExport(c, "dlerror", out nint dlerror)) continue;
            nint handle;
            var bytes = Encoding.UTF8.GetBytes(name + "\0");
            fixed (byte* p = bytes) handle = ((delegate* unmanaged<byte*, int, nint>)dlopen)(p, RtldNow | RtldGlobal);
            if (handle == 0)
            {
                nint message = ((delegate* unmanaged<nint>)dlerror)();
                error = message == 0 ? name : Marshal.PtrToStringUTF8(message);
            }
            return handle;
        }
        if (NativeLibrary.TryLoad(name, out nint loaded)) return loaded;
        error = $"{name}: cannot be loaded";
        return 0;
    }
}
