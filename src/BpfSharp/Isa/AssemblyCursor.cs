using System.Globalization;

namespace BpfSharp.Isa;

/// <summary>
/// A cursor over one line of assembly text. Whitespace between tokens is optional everywhere, because the
/// verifier log writes <c>(r1 +8)</c> while people write <c>(r1+8)</c> or <c>(r1 + 8)</c>.
/// </summary>
internal ref struct AssemblyCursor
{
    private readonly ReadOnlySpan<char> _text;
    private int _pos;

    public AssemblyCursor(ReadOnlySpan<char> text)
    {
        _text = text;
        _pos = 0;
    }

    public readonly bool AtEnd
    {
        get
        {
            int p = _pos;
            while (p < _text.Length && char.IsWhiteSpace(_text[p])) p++;
            return p >= _text.Length;
        }
    }

    public readonly string Rest => _text[_pos..].ToString().Trim();

    /// <summary>The current position, to return to with <see cref="Reset"/> when an alternative does not match.</summary>
    public readonly int Mark => _pos;

    public void Reset(int mark) => _pos = mark;

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }

    /// <summary>Consumes <paramref name="token"/> when the text continues with it.</summary>
    public bool TryConsume(string token)
    {
        SkipSpace();
        if (!_text[_pos..].StartsWith(token, StringComparison.Ordinal)) return false;
        _pos += token.Length;
        return true;
    }

    /// <summary>Like <see cref="TryConsume"/> but the token must not run on into an identifier character.</summary>
    public bool TryConsumeWord(string word)
    {
        SkipSpace();
        var rest = _text[_pos..];
        if (!rest.StartsWith(word, StringComparison.Ordinal)) return false;
        if (rest.Length > word.Length && IsIdentChar(rest[word.Length])) return false;
        _pos += word.Length;
        return true;
    }

    public void Expect(string token)
    {
        if (!TryConsume(token)) throw new AssemblyError($"expected '{token}'");
    }

    public readonly bool PeekRegister()
    {
        int p = _pos;
        while (p < _text.Length && char.IsWhiteSpace(_text[p])) p++;
        if (p + 1 >= _text.Length || (_text[p] != 'r' && _text[p] != 'w') || !char.IsAsciiDigit(_text[p + 1])) return false;
        int q = p + 1;
        while (q < _text.Length && char.IsAsciiDigit(_text[q])) q++;
        return q >= _text.Length || !IsIdentChar(_text[q]);
    }

    /// <summary>Reads r0-r10 or w0-w10; <paramref name="wide"/> is false for a w register.</summary>
    public bool TryRegister(out byte reg, out bool wide)
    {
        reg = 0;
        wide = true;
        if (!PeekRegister()) return false;
        SkipSpace();
        wide = _text[_pos] == 'r';
        int start = ++_pos;
        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
        if (!int.TryParse(_text[start.._pos], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n > 10)
            throw new AssemblyError($"no register {(wide ? 'r' : 'w')}{_text[start.._pos].ToString()}");
        reg = (byte)n;
        return true;
    }

    public byte Register(out bool wide)
    {
        if (!TryRegister(out byte reg, out wide)) throw new AssemblyError("expected a register");
        return reg;
    }

    /// <summary>Reads a register of the given width.</summary>
    public byte Register(bool wide)
    {
        byte reg = Register(out bool w);
        if (w != wide) throw new AssemblyError($"expected a {(wide ? "64-bit r" : "32-bit w")} register");
        return reg;
    }

    /// <summary>Reads a signed or unsigned integer, decimal or 0x-hex, with an optional sign.</summary>
    public bool TryInteger(out long value)
    {
        SkipSpace();
        value = 0;
        int p = _pos;
        bool negative = false;
        if (p < _text.Length && (_text[p] == '-' || _text[p] == '+'))
        {
            negative = _text[p] == '-';
            p++;
            while (p < _text.Length && char.IsWhiteSpace(_text[p])) p++;
        }
        bool hex = p + 1 < _text.Length && _text[p] == '0' && (_text[p + 1] == 'x' || _text[p + 1] == 'X');
        int digits = hex ? p + 2 : p;
        int end = digits;
        while (end < _text.Length && (hex ? char.IsAsciiHexDigit(_text[end]) : char.IsAsciiDigit(_text[end]))) end++;
        if (end == digits) return false;
        if (end < _text.Length && IsIdentChar(_text[end])) return false;
        if (!ulong.TryParse(_text[digits..end], hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out ulong magnitude))
            throw new AssemblyError($"number '{_text[_pos..end].ToString()}' does not fit in 64 bits");
        if (negative && magnitude > 1UL << 63) throw new AssemblyError($"number '{_text[_pos..end].ToString()}' does not fit in 64 bits");
        value = negative ? (long)(0 - magnitude) : (long)magnitude;
        _pos = end;
        return true;
    }

    public long Integer()
    {
        if (!TryInteger(out long v)) throw new AssemblyError("expected a number");
        return v;
    }

    /// <summary>A 32-bit field: anything from int.MinValue to uint.MaxValue, stored as its low 32 bits.</summary>
    public int Int32()
    {
        long v = Integer();
        if (v < int.MinValue || v > uint.MaxValue) throw new AssemblyError($"{v} does not fit in 32 bits");
        return unchecked((int)v);
    }

    public short Int16()
    {
        long v = Integer();
        if (v < short.MinValue || v > short.MaxValue) throw new AssemblyError($"offset {v} does not fit in 16 bits");
        return (short)v;
    }

    /// <summary>Reads an identifier (letters, digits, '_', '.', '-' inside names such as kernel-function).</summary>
    public bool TryIdentifier(out string name)
    {
        SkipSpace();
        name = "";
        int p = _pos;
        if (p >= _text.Length || !(char.IsAsciiLetter(_text[p]) || _text[p] == '_' || _text[p] == '.')) return false;
        while (p < _text.Length && (IsIdentChar(_text[p]) || (_text[p] == '-' && p + 1 < _text.Length && IsIdentChar(_text[p + 1])))) p++;
        name = _text[_pos..p].ToString();
        _pos = p;
        return true;
    }

    /// <summary>Reads up to (not including) <paramref name="terminator"/>.</summary>
    public string Until(char terminator)
    {
        SkipSpace();
        int end = _text[_pos..].IndexOf(terminator);
        if (end < 0) throw new AssemblyError($"expected '{terminator}'");
        var s = _text.Slice(_pos, end).ToString().Trim();
        _pos += end;
        return s;
    }

    /// <summary>True when the next non-space character is <paramref name="c"/>.</summary>
    public readonly bool AtEndOf(char c)
    {
        int p = _pos;
        while (p < _text.Length && char.IsWhiteSpace(_text[p])) p++;
        return p < _text.Length && _text[p] == c;
    }

    /// <summary>True when the text continues with '+' or '-' and a digit (a relative target).</summary>
    public readonly bool PeekSignedNumber()
    {
        int p = _pos;
        while (p < _text.Length && char.IsWhiteSpace(_text[p])) p++;
        if (p >= _text.Length || (_text[p] != '+' && _text[p] != '-')) return false;
        p++;
        while (p < _text.Length && char.IsWhiteSpace(_text[p])) p++;
        return p < _text.Length && char.IsAsciiDigit(_text[p]);
    }

    /// <summary>Consumes two hex digits (the opcode in a verifier log line).</summary>
    public bool TryHexByte()
    {
        SkipSpace();
        if (_pos + 1 < _text.Length && char.IsAsciiHexDigit(_text[_pos]) && char.IsAsciiHexDigit(_text[_pos + 1]))
        {
            _pos += 2;
            return true;
        }
        return false;
    }

    public void ExpectEnd()
    {
        if (!AtEnd) throw new AssemblyError($"unexpected '{Rest}'");
    }

    private static bool IsIdentChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '.';
}
