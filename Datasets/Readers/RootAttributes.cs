using System.Globalization;
using PureHDF;

namespace PdeOps.Datasets.Readers;

/// <summary>
/// Reads the attributes of an HDF5 object as .NET values a <see cref="Storage.FieldFileBuilder"/>
/// can write back (string, long, double, long[], double[]) and formats them as text.
/// </summary>
internal static class RootAttributes
{
    /// <summary>Reads every attribute of a supported type; others (compound, enum, reference) are skipped.</summary>
    public static Dictionary<string, object> Read(IH5Object owner)
    {
        var result = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var attribute in owner.Attributes())
        {
            var value = TryRead(attribute);
            if (value is not null) result[attribute.Name] = value;
        }
        return result;
    }

    /// <summary>Formats an attribute value with the invariant culture; arrays as "[a, b, c]".</summary>
    public static string Format(object value) => value switch
    {
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        double[] ds => "[" + string.Join(", ", ds.Select(d => d.ToString("R", CultureInfo.InvariantCulture))) + "]",
        long[] ls => "[" + string.Join(", ", ls.Select(l => l.ToString(CultureInfo.InvariantCulture))) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>Formats every value with <see cref="Format"/>.</summary>
    public static Dictionary<string, string> FormatAll(IReadOnlyDictionary<string, object> values) =>
        values.ToDictionary(p => p.Key, p => Format(p.Value), StringComparer.Ordinal);

    static object? TryRead(IH5Attribute attribute)
    {
        try
        {
            bool scalar = attribute.Space.Rank == 0;
            var type = attribute.Type;
            switch (type.Class)
            {
                case H5DataTypeClass.String:
                case H5DataTypeClass.VariableLength:
                    return scalar ? attribute.Read<string>() : string.Join(",", attribute.Read<string[]>());
                case H5DataTypeClass.FloatingPoint:
                    var doubles = type.Size == 4
                        ? Array.ConvertAll(Numbers<float>(attribute, scalar), v => (double)v)
                        : Numbers<double>(attribute, scalar);
                    return scalar ? doubles[0] : doubles;
                case H5DataTypeClass.FixedPoint:
                    var longs = Integers(attribute, scalar, type.Size, type.FixedPoint.IsSigned);
                    return scalar ? longs[0] : longs;
                default:
                    return null;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    static T[] Numbers<T>(IH5Attribute attribute, bool scalar) where T : unmanaged =>
        scalar ? [attribute.Read<T>()] : attribute.Read<T[]>();

    static long[] Integers(IH5Attribute attribute, bool scalar, int size, bool signed) => (size, signed) switch
    {
        (1, true) => Array.ConvertAll(Numbers<sbyte>(attribute, scalar), v => (long)v),
        (1, false) => Array.ConvertAll(Numbers<byte>(attribute, scalar), v => (long)v),
        (2, true) => Array.ConvertAll(Numbers<short>(attribute, scalar), v => (long)v),
        (2, false) => Array.ConvertAll(Numbers<ushort>(attribute, scalar), v => (long)v),
        (4, true) => Array.ConvertAll(Numbers<int>(attribute, scalar), v => (long)v),
        (4, false) => Array.ConvertAll(Numbers<uint>(attribute, scalar), v => (long)v),
        (8, true) => Numbers<long>(attribute, scalar),
        _ => Array.ConvertAll(Numbers<ulong>(attribute, scalar), v => (long)v),
    };
}
