using System.Globalization;
using System.Text;

namespace BpfSharp.Btf;

/// <summary>
/// Spells a BTF type as a C declaration. Works outside-in like a C declarator: pointers prepend <c>*</c>, arrays
/// and prototypes append <c>[n]</c> and <c>(params)</c> (parenthesising a pending pointer), and qualifiers attach
/// either to the pointer they follow or to the base type. A step budget keeps hostile BTF from producing huge
/// strings or deep recursion.
/// </summary>
internal sealed class BtfTypeFormatter(BtfSpec spec)
{
    private const int StepBudget = 512;
    private const int MaxParamDepth = 4;
    private const int MaxQualifierRun = 64;
    private const string Anonymous = "(anon)";
    private int _steps;

    public string Format(uint id) => Declare(id, string.Empty, 0);

    private string Declare(uint id, string declarator, int depth)
    {
        List<string>? qualifiers = null;
        string decl = declarator;
        while (true)
        {
            if (++_steps > StepBudget) return Join(qualifiers, "...", decl);
            var kind = spec.KindOf(id);
            switch (kind)
            {
                case BtfKind.Ptr:
                    decl = "*" + decl;
                    id = spec.TypeOf(id);
                    continue;
                case BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag:
                    string word = Qualifier(id, kind);
                    uint target = spec.TypeOf(id);
                    if (QualifiesPointer(target)) decl = decl.Length == 0 ? word : decl[0] == '[' ? word + decl : word + " " + decl;
                    else (qualifiers ??= []).Add(word);
                    id = target;
                    continue;
                case BtfKind.Array:
                    var array = spec.ArrayInfo(id);
                    decl = Wrap(decl) + "[" + array.Length.ToString(CultureInfo.InvariantCulture) + "]";
                    id = array.ElementType;
                    continue;
                case BtfKind.FuncProto:
                    decl = Wrap(decl) + "(" + Parameters(id, depth) + ")";
                    id = spec.ReturnType(id);
                    continue;
                case BtfKind.Func or BtfKind.Var:
                    decl = NameOrAnon(id) + decl;
                    id = spec.TypeOf(id);
                    continue;
                case BtfKind.DeclTag:
                    string tagged = depth < MaxParamDepth ? Declare(spec.TypeOf(id), string.Empty, depth + 1) : "...";
                    return Join(qualifiers, $"{tagged} __attribute__((btf_decl_tag(\"{spec.NameOf(id)}\")))", decl);
                default:
                    return Join(qualifiers, Base(id, kind), decl);
            }
        }
    }

    private string Base(uint id, BtfKind kind) => kind switch
    {
        BtfKind.Void => "void",
        BtfKind.Struct => "struct " + NameOrAnon(id),
        BtfKind.Union => "union " + NameOrAnon(id),
        BtfKind.Enum or BtfKind.Enum64 => "enum " + NameOrAnon(id),
        BtfKind.Fwd => (spec.ForwardKind(id) == BtfKind.Union ? "union " : "struct ") + NameOrAnon(id),
        BtfKind.Datasec => "datasec " + NameOrAnon(id),
        _ => NameOrAnon(id), // int, float, typedef
    };

    private string Qualifier(uint id, BtfKind kind) => kind switch
    {
        BtfKind.Const => "const",
        BtfKind.Volatile => "volatile",
        BtfKind.Restrict => "restrict",
        _ => $"__attribute__((btf_type_tag(\"{spec.NameOf(id)}\")))",
    };

    /// <summary>Whether a qualifier whose target is <paramref name="id"/> applies to a pointer (as in <c>char *const</c>).</summary>
    private bool QualifiesPointer(uint id)
    {
        for (int i = 0; i < MaxQualifierRun; i++)
        {
            var kind = spec.KindOf(id);
            if (kind is not (BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag)) return kind == BtfKind.Ptr;
            id = spec.TypeOf(id);
        }
        return false;
    }

    private string Parameters(uint id, int depth)
    {
        var parameters = spec.Params(id);
        bool variadic = spec.IsVariadic(id);
        if (parameters.Count == 0) return variadic ? "..." : "void";
        if (depth >= MaxParamDepth) return "...";
        var text = new StringBuilder();
        foreach (var p in parameters)
        {
            if (text.Length > 0) text.Append(", ");
            if (_steps >= StepBudget)
            {
                text.Append("...");
                return text.ToString();
            }
            text.Append(Declare(p.Type, p.Name, depth + 1));
        }
        if (variadic) text.Append(", ...");
        return text.ToString();
    }

    private string NameOrAnon(uint id) => spec.NameOf(id) is { Length: > 0 } name ? name : Anonymous;

    /// <summary>A pending pointer binds looser than a suffix, so <c>*</c> then <c>[3]</c> is <c>(*)[3]</c>.</summary>
    private static string Wrap(string decl) => decl.StartsWith('*') ? "(" + decl + ")" : decl;

    private static string Join(List<string>? qualifiers, string baseType, string decl)
    {
        var text = new StringBuilder();
        if (qualifiers is not null)
        {
            foreach (var q in qualifiers) text.Append(q).Append(' ');
        }
        text.Append(baseType);
        if (decl.Length > 0)
        {
            if (decl[0] != '[') text.Append(' ');
            text.Append(decl);
        }
        return text.ToString();
    }
}
