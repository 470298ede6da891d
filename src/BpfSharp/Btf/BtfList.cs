using System.Collections;

namespace BpfSharp.Btf;

/// <summary>
/// A read-only window onto one of <see cref="BtfSpec"/>'s side tables (members, parameters, enumerators,
/// data section entries). It is a struct over the shared array, so asking for a type's members allocates nothing.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
public readonly struct BtfList<T> : IReadOnlyList<T>
{
    private readonly T[]? _items;
    private readonly int _start;

    internal BtfList(T[] items, int start, int count)
    {
        _items = items;
        _start = start;
        Count = count;
    }

    /// <summary>The number of records.</summary>
    public int Count { get; }

    /// <summary>The record at <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is negative or not less than <see cref="Count"/>.</exception>
    public T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be below {Count}");
            return _items![_start + index];
        }
    }

    /// <summary>The records as a span.</summary>
    public ReadOnlySpan<T> AsSpan() => _items is null ? default : _items.AsSpan(_start, Count);

    /// <summary>Returns an allocation-free enumerator.</summary>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Enumerates a <see cref="BtfList{T}"/>.</summary>
    public struct Enumerator : IEnumerator<T>
    {
        private readonly BtfList<T> _list;
        private int _index;

        internal Enumerator(BtfList<T> list)
        {
            _list = list;
            _index = -1;
        }

        /// <summary>The current record.</summary>
        public readonly T Current => _list._items![_list._start + _index];

        readonly object? IEnumerator.Current => Current;

        /// <summary>Moves to the next record.</summary>
        public bool MoveNext() => ++_index < _list.Count;

        /// <summary>Moves back before the first record.</summary>
        public void Reset() => _index = -1;

        /// <summary>Does nothing; present for <see cref="IDisposable"/>.</summary>
        public readonly void Dispose()
        {
        }
    }
}
