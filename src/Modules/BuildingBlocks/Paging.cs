namespace BuildingBlocks;

/// <summary>The <c>page</c> and <c>pageSize</c> query values of every list route: pages count from 1, sizes are bounded.</summary>
public readonly record struct Paging(int Number, int Size)
{
    /// <summary>Page numbers past what an offset can address are clamped to the last addressable page (an empty one).</summary>
    public static Paging From(int? page, int? pageSize, int defaultSize = 50, int maxSize = 500)
    {
        var size = Math.Clamp(pageSize ?? defaultSize, 1, maxSize);
        return new Paging(Math.Clamp(page ?? 1, 1, int.MaxValue / size), size);
    }
}
