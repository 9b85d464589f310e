namespace Pacs.Dicom.Network.Pdu;

/// <summary>The user information item of A-ASSOCIATE-RQ/AC and its sub-items (PS3.8 D.3.3, PS3.7 Annex D.3.3).</summary>
public sealed record UserInformation
{
    /// <summary>Maximum length of a P-DATA-TF variable field this side receives; 0 = no limit (PS3.8 D.1).</summary>
    public uint MaximumLength { get; init; }

    public string ImplementationClassUid { get; init; } = string.Empty;

    public string? ImplementationVersionName { get; init; }

    public AsyncOperationsWindow? AsyncOperationsWindow { get; init; }

    public IReadOnlyList<RoleSelection> RoleSelections { get; init; } = [];

    public IReadOnlyList<SopClassExtendedNegotiation> SopClassExtendedNegotiations { get; init; } = [];

    public IReadOnlyList<SopClassCommonExtendedNegotiation> SopClassCommonExtendedNegotiations { get; init; } = [];

    /// <summary>Only in an A-ASSOCIATE-RQ.</summary>
    public UserIdentityRequest? UserIdentityRequest { get; init; }

    /// <summary>Only in an A-ASSOCIATE-AC, and only when the request asked for a positive response.</summary>
    public UserIdentityResponse? UserIdentityResponse { get; init; }
}

/// <summary>Asynchronous Operations Window sub-item (PS3.7 D.3.3.3); 0 means unlimited.</summary>
public sealed record AsyncOperationsWindow(ushort MaxOperationsInvoked, ushort MaxOperationsPerformed);

/// <summary>SCP/SCU Role Selection sub-item (PS3.7 D.3.3.4).</summary>
public sealed record RoleSelection(string SopClassUid, bool ScuRole, bool ScpRole);

/// <summary>SOP Class Extended Negotiation sub-item (PS3.7 D.3.3.5); the application information is service specific.</summary>
public sealed record SopClassExtendedNegotiation(string SopClassUid, ReadOnlyMemory<byte> ServiceClassApplicationInformation);

/// <summary>SOP Class Common Extended Negotiation sub-item (PS3.7 D.3.3.6), request only.</summary>
public sealed record SopClassCommonExtendedNegotiation(string SopClassUid, string ServiceClassUid, IReadOnlyList<string> RelatedGeneralSopClassUids);

/// <summary>User Identity types (PS3.7 Table D.3-14).</summary>
public enum UserIdentityType : byte
{
    Username = 1,
    UsernameAndPasscode = 2,
    KerberosServiceTicket = 3,
    SamlAssertion = 4,
    JsonWebToken = 5,
}

/// <summary>User Identity Negotiation request sub-item (PS3.7 D.3.3.7.1).</summary>
public sealed record UserIdentityRequest(UserIdentityType IdentityType, bool PositiveResponseRequested, ReadOnlyMemory<byte> PrimaryField, ReadOnlyMemory<byte> SecondaryField);

/// <summary>User Identity Negotiation response sub-item (PS3.7 D.3.3.7.2).</summary>
public sealed record UserIdentityResponse(ReadOnlyMemory<byte> ServerResponse);
