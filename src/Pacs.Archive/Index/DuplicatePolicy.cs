namespace Pacs.Archive.Index;

/// <summary>What a store does when the SOP Instance is already archived with different content.</summary>
public enum DuplicatePolicy
{
    /// <summary>The new version becomes current once it is created; then the old version is deleted.</summary>
    Replace,

    /// <summary>The store fails; the archived version stays.</summary>
    Reject,

    /// <summary>The archived version stays and the store is acknowledged; the new data is discarded.</summary>
    Keep,
}
