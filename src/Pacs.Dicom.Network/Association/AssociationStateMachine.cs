using E = Pacs.Dicom.Network.Association.AssociationEvent;
using S = Pacs.Dicom.Network.Association.AssociationState;
using A = Pacs.Dicom.Network.Association.AssociationAction;

namespace Pacs.Dicom.Network.Association;

/// <summary>
/// The DICOM upper layer state transition table (PS3.8 9.2.3, Table 9-10). It only decides: the connection that owns
/// it performs the returned action. Not thread safe; the owning connection serialises events.
/// </summary>
public sealed class AssociationStateMachine
{
    public AssociationStateMachine(bool isRequestor) => IsRequestor = isRequestor;

    /// <summary>True on the side that sent the A-ASSOCIATE-RQ; decides the release collision states.</summary>
    public bool IsRequestor { get; }

    public S State { get; private set; } = S.Idle;

    /// <summary>True in the states where PS3.8 runs the ARTIM timer (awaiting the request, awaiting the transport close).</summary>
    public bool IsArtimRunning => State is S.AwaitingAssociateRequest or S.AwaitingTransportClose;

    /// <summary>Applies an event: returns the action to perform and moves to the next state.</summary>
    /// <exception cref="InvalidOperationException">The event is not allowed in the current state (a local program error).</exception>
    public A Fire(E evt)
    {
        var action = Lookup(State, evt)
            ?? throw new InvalidOperationException($"Event {evt} is not allowed in state {State} (PS3.8 Table 9-10).");
        State = NextState(action);
        return action;
    }

    /// <summary>True when the table defines <paramref name="evt"/> in the current state.</summary>
    public bool CanFire(E evt) => Lookup(State, evt) is not null;

    /// <summary>Table 9-10: the action for an event in a state, or null where the table has no entry.</summary>
    public static A? Lookup(S state, E evt)
    {
        var sta = (int)state;
        var inRelease = sta is >= 7 and <= 12;
        return evt switch
        {
            E.LocalAssociateRequest => state == S.Idle ? A.AE1 : null,
            E.TransportConnectConfirm => state == S.AwaitingTransportOpen ? A.AE2 : null,
            E.AssociateAcceptReceived or E.AssociateRejectReceived => state switch
            {
                S.AwaitingAssociateRequest => A.AA1,
                S.AwaitingAssociateResponse => evt == E.AssociateAcceptReceived ? A.AE3 : A.AE4,
                S.AwaitingLocalAssociateResponse or S.Established => A.AA8,
                S.AwaitingTransportClose => A.AA6,
                _ when inRelease => A.AA8,
                _ => null,
            },
            E.TransportConnectIndication => state == S.Idle ? A.AE5 : null,
            E.AssociateRequestReceived => state switch
            {
                S.AwaitingAssociateRequest => A.AE6,
                S.AwaitingLocalAssociateResponse or S.AwaitingAssociateResponse or S.Established => A.AA8,
                S.AwaitingTransportClose => A.AA7,
                _ when inRelease => A.AA8,
                _ => null,
            },
            E.LocalAssociateAccept => state == S.AwaitingLocalAssociateResponse ? A.AE7 : null,
            E.LocalAssociateReject => state == S.AwaitingLocalAssociateResponse ? A.AE8 : null,
            E.LocalDataRequest => state switch
            {
                S.Established => A.DT1,
                S.AwaitingLocalReleaseResponse => A.AR7,
                _ => null,
            },
            E.DataReceived => state switch
            {
                S.AwaitingAssociateRequest => A.AA1,
                S.Established => A.DT2,
                S.AwaitingReleaseResponse => A.AR6,
                S.AwaitingLocalAssociateResponse or S.AwaitingAssociateResponse => A.AA8,
                S.AwaitingTransportClose => A.AA6,
                _ when inRelease => A.AA8,
                _ => null,
            },
            E.LocalReleaseRequest => state == S.Established ? A.AR1 : null,
            E.ReleaseRequestReceived => state switch
            {
                S.AwaitingAssociateRequest => A.AA1,
                S.Established => A.AR2,
                S.AwaitingReleaseResponse => A.AR8,
                S.AwaitingLocalAssociateResponse or S.AwaitingAssociateResponse => A.AA8,
                S.AwaitingTransportClose => A.AA6,
                _ when inRelease => A.AA8,
                _ => null,
            },
            E.ReleaseResponseReceived => state switch
            {
                S.AwaitingAssociateRequest => A.AA1,
                S.AwaitingReleaseResponse or S.CollisionRequestorAwaitingReleaseResponse => A.AR3,
                S.CollisionAcceptorAwaitingReleaseResponse => A.AR10,
                S.AwaitingLocalAssociateResponse or S.AwaitingAssociateResponse or S.Established => A.AA8,
                S.AwaitingTransportClose => A.AA6,
                _ when inRelease => A.AA8,
                _ => null,
            },
            E.LocalReleaseResponse => state switch
            {
                S.AwaitingLocalReleaseResponse or S.CollisionAcceptorAwaitingLocalResponse => A.AR4,
                S.CollisionRequestorAwaitingLocalResponse => A.AR9,
                _ => null,
            },
            E.LocalAbort => state switch
            {
                S.AwaitingTransportOpen => A.AA2,
                S.AwaitingLocalAssociateResponse or S.AwaitingAssociateResponse or S.Established => A.AA1,
                _ when inRelease => A.AA1,
                _ => null,
            },
            E.AbortReceived => state switch
            {
                S.AwaitingAssociateRequest or S.AwaitingTransportClose => A.AA2,
                S.AwaitingLocalAssociateResponse or S.AwaitingAssociateResponse or S.Established => A.AA3,
                _ when inRelease => A.AA3,
                _ => null,
            },
            E.TransportClosed => state switch
            {
                S.AwaitingAssociateRequest => A.AA5,
                S.AwaitingLocalAssociateResponse or S.AwaitingTransportOpen or S.AwaitingAssociateResponse or S.Established => A.AA4,
                S.AwaitingTransportClose => A.AR5,
                _ when inRelease => A.AA4,
                _ => null,
            },
            E.ArtimExpired => state is S.AwaitingAssociateRequest or S.AwaitingTransportClose ? A.AA2 : null,
            E.InvalidPduReceived => state switch
            {
                S.AwaitingAssociateRequest => A.AA1,
                S.AwaitingLocalAssociateResponse or S.AwaitingAssociateResponse or S.Established => A.AA8,
                S.AwaitingTransportClose => A.AA7,
                _ when inRelease => A.AA8,
                _ => null,
            },
            _ => null,
        };
    }

    private S NextState(A action) => action switch
    {
        A.AE1 => S.AwaitingTransportOpen,
        A.AE2 => S.AwaitingAssociateResponse,
        A.AE3 => S.Established,
        A.AE4 => S.Idle,
        A.AE5 => S.AwaitingAssociateRequest,
        A.AE6 => S.AwaitingLocalAssociateResponse,
        A.AE7 => S.Established,
        A.AE8 => S.AwaitingTransportClose,
        A.DT1 or A.DT2 => S.Established,
        A.AR1 => S.AwaitingReleaseResponse,
        A.AR2 => S.AwaitingLocalReleaseResponse,
        A.AR3 => S.Idle,
        A.AR4 => S.AwaitingTransportClose,
        A.AR5 => S.Idle,
        A.AR6 => S.AwaitingReleaseResponse,
        A.AR7 => S.AwaitingLocalReleaseResponse,
        A.AR8 => IsRequestor ? S.CollisionRequestorAwaitingLocalResponse : S.CollisionAcceptorAwaitingReleaseResponse,
        A.AR9 => S.CollisionRequestorAwaitingReleaseResponse,
        A.AR10 => S.CollisionAcceptorAwaitingLocalResponse,
        A.AA1 or A.AA6 or A.AA7 or A.AA8 => S.AwaitingTransportClose,
        A.AA2 or A.AA3 or A.AA4 or A.AA5 => S.Idle,
        _ => State,
    };
}
