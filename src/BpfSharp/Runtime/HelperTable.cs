using BpfSharp.Isa;

namespace BpfSharp.Runtime;

/// <summary>
/// The helpers a program may call, indexed by id. A call to an id that is not in the table stops the run with
/// "unknown helper N". <see cref="CreateDefault"/> holds the helpers implemented so far; more are added with
/// <see cref="Register(HelperFunction)"/> (a later registration replaces an earlier one).
/// </summary>
public sealed class HelperTable
{
    private HelperFunction?[] _byId = new HelperFunction?[HelperFunctions.Count];

    /// <summary>A table with every helper the runtime implements (<see cref="CoreHelpers"/>, <see cref="PacketHelpers"/>, <see cref="SkbHelpers"/>, <see cref="EventHelpers"/>).</summary>
    public static HelperTable CreateDefault()
    {
        var table = new HelperTable();
        foreach (var h in CoreHelpers.All) table.Register(h);
        foreach (var h in PacketHelpers.All) table.Register(h);
        foreach (var h in SkbHelpers.All) table.Register(h);
        foreach (var h in EventHelpers.All) table.Register(h);
        return table;
    }

    /// <summary>Adds or replaces a helper.</summary>
    public HelperTable Register(HelperFunction helper)
    {
        ArgumentNullException.ThrowIfNull(helper);
        if (helper.Id < 0 || helper.Id > ushort.MaxValue) throw new ArgumentOutOfRangeException(nameof(helper), $"helper id {helper.Id}");
        if (helper.Id >= _byId.Length) Array.Resize(ref _byId, helper.Id + 1);
        _byId[helper.Id] = helper;
        return this;
    }

    /// <summary>Adds a helper by id, named from the kernel's list.</summary>
    public HelperTable Register(int id, HelperImplementation implementation) =>
        Register(new HelperFunction(id, HelperFunctions.NameOf(id) ?? $"helper#{id}", implementation));

    /// <summary>The helper with id <paramref name="id"/>, or null.</summary>
    public HelperFunction? Find(long id) => (ulong)id < (ulong)_byId.Length ? _byId[id] : null;

    /// <summary>Every registered helper, by id.</summary>
    public IEnumerable<HelperFunction> All => _byId.OfType<HelperFunction>();
}
