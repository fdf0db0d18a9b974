namespace BuildingBlocks;

/// <summary>The <c>page</c> and <c>pageSize</c> query values of every list route: pages count from 1, sizes are bounded.</summary>
public readonly record struct Paging(int Number, int Size)
{
    public int Skip => (Number - 1) * Size;

    public static Paging From(int? page, int? pageSize, int defaultSize = 50, int maxSize = 500) =>
        new(Math.Max(page ?? 1, 1), Math.Clamp(pageSize ?? defaultSize, 1, maxSize));
}
