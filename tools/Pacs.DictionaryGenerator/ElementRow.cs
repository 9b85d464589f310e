namespace Pacs.DictionaryGenerator;

/// <summary>One data element as the generator sees it, before it becomes C#.</summary>
internal sealed record ElementRow(uint Tag, uint Mask, string[] VRs, string VM, string Keyword, string Name, bool Retired)
{
    public bool IsRepeating => Mask != 0xFFFFFFFF;

    public string TagText => $"({Tag >> 16:X4},{Tag & 0xFFFF:X4})";
}
