using System.Reflection;
using MLNet.Nets.Vision.Imaging;

namespace MLNet.Nets.Data;

/// <summary>A public field or property of a row class mapped to a column (see <see cref="LoadColumnAttribute"/> and friends).</summary>
internal sealed class RowMember
{
    private readonly MemberInfo _member;

    private RowMember(MemberInfo member, Type clrType)
    {
        _member = member;
        ClrType = clrType;
        Name = member.GetCustomAttribute<ColumnNameAttribute>()?.Name ?? member.Name;
        IsArray = clrType.IsArray;
        var item = IsArray ? clrType.GetElementType()! : clrType;
        KeyCount = member.GetCustomAttribute<KeyTypeAttribute>()?.Count ?? 0;
        Kind = KindOf(item, KeyCount, member);
        Dimensions = member.GetCustomAttribute<VectorTypeAttribute>()?.Dimensions.ToArray();
        Sources = member.GetCustomAttribute<LoadColumnAttribute>()?.Sources.ToArray();
    }

    public string Name { get; }
    public Type ClrType { get; }
    public bool IsArray { get; }
    public DataKind Kind { get; }
    public int KeyCount { get; }
    public int[]? Dimensions { get; }
    public int[]? Sources { get; }

    /// <summary>The column type this member declares, or null when it is an array without a known size.</summary>
    public DataViewType? DeclaredType()
    {
        var item = Kind == DataKind.Key ? new KeyDataViewType(KeyCount) : DataViewType.Scalar(Kind);
        if (!IsArray) return item;
        if (Dimensions is { Length: > 0 }) return new VectorDataViewType(item, Dimensions);
        if (Sources is { Length: > 0 }) return new VectorDataViewType(item, Sources.Length);
        return null;
    }

    public object? Get(object row) => _member is FieldInfo f ? f.GetValue(row) : ((PropertyInfo)_member).GetValue(row);

    public void Set(object row, object? value)
    {
        if (_member is FieldInfo f) f.SetValue(row, value);
        else ((PropertyInfo)_member).SetValue(row, value);
    }

    public bool CanWrite => _member is FieldInfo { IsInitOnly: false } || _member is PropertyInfo { CanWrite: true };

    /// <summary>The mapped members of <paramref name="type"/>: public instance fields and properties without <see cref="NoColumnAttribute"/>.</summary>
    public static RowMember[] Of(Type type)
    {
        var members = new List<RowMember>();
        foreach (var m in type.GetMembers(BindingFlags.Public | BindingFlags.Instance))
        {
            if (m.GetCustomAttribute<NoColumnAttribute>() is not null) continue;
            Type? clr = m switch
            {
                FieldInfo f => f.FieldType,
                PropertyInfo p when p.GetIndexParameters().Length == 0 && p.CanRead => p.PropertyType,
                _ => null,
            };
            if (clr is null) continue;
            members.Add(new RowMember(m, clr));
        }
        var duplicate = members.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"{type.Name} maps two members to the column '{duplicate.Key}'.");
        return members.ToArray();
    }

    private static DataKind KindOf(Type item, int keyCount, MemberInfo member)
    {
        if (keyCount > 0)
        {
            if (item != typeof(uint)) throw new ArgumentException($"{member.DeclaringType?.Name}.{member.Name} has [KeyType] but is not uint.");
            return DataKind.Key;
        }
        if (item == typeof(float)) return DataKind.Single;
        if (item == typeof(double)) return DataKind.Double;
        if (item == typeof(int)) return DataKind.Int32;
        if (item == typeof(long)) return DataKind.Int64;
        if (item == typeof(bool)) return DataKind.Boolean;
        if (item == typeof(string)) return DataKind.String;
        if (item == typeof(Image)) return DataKind.Image;
        if (item == typeof(uint)) throw new ArgumentException($"{member.DeclaringType?.Name}.{member.Name} is uint: mark it [KeyType(count)] to hold a key.");
        throw new ArgumentException($"{member.DeclaringType?.Name}.{member.Name} has type {item.Name}, which a column cannot hold (float, double, int, long, bool, string, Image, or arrays of them).");
    }
}
