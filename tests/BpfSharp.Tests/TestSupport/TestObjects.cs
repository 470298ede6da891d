using BpfSharp.Elf;

namespace BpfSharp.Tests.TestSupport;

/// <summary>Reads pieces of object files for tests, through the library's ELF reader.</summary>
internal static class TestObjects
{
    /// <summary>The bytes of section <paramref name="name"/> of the object at <paramref name="path"/>, or null when it has none (or is not a valid object).</summary>
    public static byte[]? Section(string path, string name)
    {
        try
        {
            return ElfFile.Load(path).FindSection(name)?.Data.ToArray();
        }
        catch (BpfFormatException)
        {
            return null;
        }
    }

    /// <summary>Function symbols of an object: (section name, byte offset in the section, symbol name).</summary>
    public static IEnumerable<(string Section, ulong Value, string Name)> FunctionSymbols(string path)
    {
        var elf = ElfFile.Load(path);
        return elf.Symbols.Where(s => s.Type == ElfSymbolType.Func && !s.IsUndefined && s.SectionIndex < elf.Sections.Count)
            .Select(s => (elf.Sections[s.SectionIndex].Name, s.Value, s.Name));
    }

    /// <summary>The repository root (the directory holding BpfSharp.slnx).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>A file of the repository, by its path relative to the root.</summary>
    public static string InRepository(string relative) => Path.Combine(RepositoryRoot, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BpfSharp.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root (BpfSharp.slnx) not found above " + AppContext.BaseDirectory);
    }
}
