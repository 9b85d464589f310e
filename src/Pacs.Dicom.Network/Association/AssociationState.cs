namespace Pacs.Dicom.Network.Association;

/// <summary>States of the DICOM upper layer state machine (PS3.8 Tables 9-1 to 9-5).</summary>
public enum AssociationState
{
    /// <summary>Sta1: idle, no association.</summary>
    Idle = 1,

    /// <summary>Sta2: transport connection open, awaiting A-ASSOCIATE-RQ PDU.</summary>
    AwaitingAssociateRequest = 2,

    /// <summary>Sta3: awaiting local A-ASSOCIATE response primitive.</summary>
    AwaitingLocalAssociateResponse = 3,

    /// <summary>Sta4: awaiting transport connection opening to complete.</summary>
    AwaitingTransportOpen = 4,

    /// <summary>Sta5: awaiting A-ASSOCIATE-AC or A-ASSOCIATE-RJ PDU.</summary>
    AwaitingAssociateResponse = 5,

    /// <summary>Sta6: association established and ready for data transfer.</summary>
    Established = 6,

    /// <summary>Sta7: awaiting A-RELEASE-RP PDU.</summary>
    AwaitingReleaseResponse = 7,

    /// <summary>Sta8: awaiting local A-RELEASE response primitive.</summary>
    AwaitingLocalReleaseResponse = 8,

    /// <summary>Sta9: release collision requestor side, awaiting local A-RELEASE response.</summary>
    CollisionRequestorAwaitingLocalResponse = 9,

    /// <summary>Sta10: release collision acceptor side, awaiting A-RELEASE-RP PDU.</summary>
    CollisionAcceptorAwaitingReleaseResponse = 10,

    /// <summary>Sta11: release collision requestor side, awaiting A-RELEASE-RP PDU.</summary>
    CollisionRequestorAwaitingReleaseResponse = 11,

    /// <summary>Sta12: release collision acceptor side, awaiting local A-RELEASE response.</summary>
    CollisionAcceptorAwaitingLocalResponse = 12,

    /// <summary>Sta13: awaiting transport connection close; the association no longer exists.</summary>
    AwaitingTransportClose = 13,
}
