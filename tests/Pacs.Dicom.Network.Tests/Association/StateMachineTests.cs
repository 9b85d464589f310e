using Pacs.Dicom.Network.Association;
using A = Pacs.Dicom.Network.Association.AssociationAction;
using E = Pacs.Dicom.Network.Association.AssociationEvent;
using S = Pacs.Dicom.Network.Association.AssociationState;

namespace Pacs.Dicom.Network.Tests.Association;

/// <summary>Entries of PS3.8 Table 9-10, checked cell by cell.</summary>
public class StateMachineTests
{
    [Theory]
    [InlineData(S.Idle, E.LocalAssociateRequest, A.AE1)]
    [InlineData(S.AwaitingTransportOpen, E.TransportConnectConfirm, A.AE2)]
    [InlineData(S.AwaitingAssociateResponse, E.AssociateAcceptReceived, A.AE3)]
    [InlineData(S.AwaitingAssociateResponse, E.AssociateRejectReceived, A.AE4)]
    [InlineData(S.Idle, E.TransportConnectIndication, A.AE5)]
    [InlineData(S.AwaitingAssociateRequest, E.AssociateRequestReceived, A.AE6)]
    [InlineData(S.AwaitingLocalAssociateResponse, E.LocalAssociateAccept, A.AE7)]
    [InlineData(S.AwaitingLocalAssociateResponse, E.LocalAssociateReject, A.AE8)]
    [InlineData(S.Established, E.LocalDataRequest, A.DT1)]
    [InlineData(S.Established, E.DataReceived, A.DT2)]
    [InlineData(S.Established, E.LocalReleaseRequest, A.AR1)]
    [InlineData(S.Established, E.ReleaseRequestReceived, A.AR2)]
    [InlineData(S.AwaitingReleaseResponse, E.ReleaseResponseReceived, A.AR3)]
    [InlineData(S.AwaitingLocalReleaseResponse, E.LocalReleaseResponse, A.AR4)]
    [InlineData(S.AwaitingTransportClose, E.TransportClosed, A.AR5)]
    [InlineData(S.AwaitingReleaseResponse, E.DataReceived, A.AR6)]
    [InlineData(S.AwaitingLocalReleaseResponse, E.LocalDataRequest, A.AR7)]
    [InlineData(S.AwaitingReleaseResponse, E.ReleaseRequestReceived, A.AR8)]
    [InlineData(S.CollisionRequestorAwaitingLocalResponse, E.LocalReleaseResponse, A.AR9)]
    [InlineData(S.CollisionAcceptorAwaitingReleaseResponse, E.ReleaseResponseReceived, A.AR10)]
    [InlineData(S.AwaitingAssociateRequest, E.DataReceived, A.AA1)]
    [InlineData(S.Established, E.LocalAbort, A.AA1)]
    [InlineData(S.AwaitingAssociateRequest, E.ArtimExpired, A.AA2)]
    [InlineData(S.AwaitingTransportClose, E.ArtimExpired, A.AA2)]
    [InlineData(S.Established, E.AbortReceived, A.AA3)]
    [InlineData(S.Established, E.TransportClosed, A.AA4)]
    [InlineData(S.AwaitingAssociateRequest, E.TransportClosed, A.AA5)]
    [InlineData(S.AwaitingTransportClose, E.DataReceived, A.AA6)]
    [InlineData(S.AwaitingTransportClose, E.AssociateRequestReceived, A.AA7)]
    [InlineData(S.AwaitingTransportClose, E.InvalidPduReceived, A.AA7)]
    [InlineData(S.Established, E.InvalidPduReceived, A.AA8)]
    [InlineData(S.Established, E.AssociateRequestReceived, A.AA8)]
    [InlineData(S.AwaitingLocalReleaseResponse, E.DataReceived, A.AA8)]
    public void Table_9_10_cell(S state, E evt, A expected) => Assert.Equal(expected, AssociationStateMachine.Lookup(state, evt));

    [Theory]
    [InlineData(S.Established, E.LocalAssociateRequest)]
    [InlineData(S.Idle, E.LocalDataRequest)]
    [InlineData(S.AwaitingTransportClose, E.LocalDataRequest)]
    [InlineData(S.AwaitingAssociateRequest, E.LocalReleaseRequest)]
    public void Events_the_table_leaves_empty_have_no_action(S state, E evt) => Assert.Null(AssociationStateMachine.Lookup(state, evt));

    [Fact]
    public void Acceptor_walks_through_association_data_and_release()
    {
        var fsm = new AssociationStateMachine(isRequestor: false);
        Assert.Equal(A.AE5, fsm.Fire(E.TransportConnectIndication));
        Assert.True(fsm.IsArtimRunning);
        Assert.Equal(A.AE6, fsm.Fire(E.AssociateRequestReceived));
        Assert.Equal(A.AE7, fsm.Fire(E.LocalAssociateAccept));
        Assert.Equal(S.Established, fsm.State);
        Assert.Equal(A.DT2, fsm.Fire(E.DataReceived));
        Assert.Equal(A.AR2, fsm.Fire(E.ReleaseRequestReceived));
        Assert.Equal(A.AR7, fsm.Fire(E.LocalDataRequest));
        Assert.Equal(A.AR4, fsm.Fire(E.LocalReleaseResponse));
        Assert.Equal(S.AwaitingTransportClose, fsm.State);
        Assert.Equal(A.AR5, fsm.Fire(E.TransportClosed));
        Assert.Equal(S.Idle, fsm.State);
    }

    [Fact]
    public void Release_collision_goes_through_states_9_to_12()
    {
        var requestor = new AssociationStateMachine(isRequestor: true);
        requestor.Fire(E.LocalAssociateRequest);
        requestor.Fire(E.TransportConnectConfirm);
        requestor.Fire(E.AssociateAcceptReceived);
        requestor.Fire(E.LocalReleaseRequest);
        Assert.Equal(A.AR8, requestor.Fire(E.ReleaseRequestReceived));
        Assert.Equal(S.CollisionRequestorAwaitingLocalResponse, requestor.State);
        Assert.Equal(A.AR9, requestor.Fire(E.LocalReleaseResponse));
        Assert.Equal(A.AR3, requestor.Fire(E.ReleaseResponseReceived));
        Assert.Equal(S.Idle, requestor.State);

        var acceptor = new AssociationStateMachine(isRequestor: false);
        acceptor.Fire(E.TransportConnectIndication);
        acceptor.Fire(E.AssociateRequestReceived);
        acceptor.Fire(E.LocalAssociateAccept);
        acceptor.Fire(E.LocalReleaseRequest);
        acceptor.Fire(E.ReleaseRequestReceived);
        Assert.Equal(S.CollisionAcceptorAwaitingReleaseResponse, acceptor.State);
        Assert.Equal(A.AR10, acceptor.Fire(E.ReleaseResponseReceived));
        Assert.Equal(A.AR4, acceptor.Fire(E.LocalReleaseResponse));
        Assert.Equal(S.AwaitingTransportClose, acceptor.State);
    }

    [Fact]
    public void Firing_an_undefined_event_is_a_program_error()
    {
        var fsm = new AssociationStateMachine(isRequestor: true);
        Assert.Throws<InvalidOperationException>(() => fsm.Fire(E.LocalDataRequest));
    }
}
