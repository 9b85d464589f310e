using System.Collections.Concurrent;
using Pacs.Dicom.IO;
using Pacs.Dicom.Network.Client;
using Pacs.Dicom.Network.Dimse;
using Pacs.Dicom.Network.Server;
using Pacs.Dicom.Network.Tests.Support;

namespace Pacs.Dicom.Network.Tests.NServices;

/// <summary>
/// DIMSE-N through the SCP: an MPPS-like life cycle (N-CREATE, N-SET, N-GET, N-DELETE) and storage commitment
/// (N-ACTION, N-EVENT-REPORT) against an in-memory handler, with the statuses, type IDs and datasets of PS3.7 section 10.
/// </summary>
public class NServiceTests
{
    private static readonly string Mpps = DicomUid.ModalityPerformedProcedureStep.Value;
    private static readonly string Commitment = DicomUid.StorageCommitmentPushModel.Value;

    [Fact]
    public async Task Create_set_get_and_delete_a_normalized_instance()
    {
        var handler = new InMemoryNHandler();
        await using var scp = await ServerFixture.StartAsync(handlers: h => h with { NService = handler });
        await using var association = await ConnectAsync(scp.Port, Mpps);

        var created = new DicomDataset();
        created.Add(DicomTag.PerformedProcedureStepStatus, "IN PROGRESS");
        created.Add(DicomTag.PerformedStationAETitle, "CT1");
        var (status, _, create) = await RequestAsync(association, Mpps, DicomCommandField.NCreateRequest, null, created);
        Assert.Equal(DicomStatus.Success, status);
        var instance = Assert.IsType<string>(create.AffectedSOPInstanceUID);
        Assert.True(DicomUid.IsValid(instance));

        var change = new DicomDataset();
        change.Add(DicomTag.PerformedProcedureStepStatus, "COMPLETED");
        (status, _, _) = await RequestAsync(association, Mpps, DicomCommandField.NSetRequest, instance, change);
        Assert.Equal(DicomStatus.Success, status);

        var (getStatus, attributes, _) = await RequestAsync(association, Mpps, DicomCommandField.NGetRequest, instance, null, [DicomTag.PerformedProcedureStepStatus]);
        Assert.Equal(DicomStatus.Success, getStatus);
        Assert.Equal("COMPLETED", attributes!.GetString(DicomTag.PerformedProcedureStepStatus));
        Assert.False(attributes.Contains(DicomTag.PerformedStationAETitle));

        (status, _, _) = await RequestAsync(association, Mpps, DicomCommandField.NDeleteRequest, instance, null);
        Assert.Equal(DicomStatus.Success, status);
        (status, _, _) = await RequestAsync(association, Mpps, DicomCommandField.NGetRequest, instance, null);
        Assert.Equal(DicomStatus.NoSuchSopInstance, status);
        await association.ReleaseAsync();
    }

    [Fact]
    public async Task Storage_commitment_action_and_event_report_echo_their_type_ids()
    {
        var handler = new InMemoryNHandler();
        await using var scp = await ServerFixture.StartAsync(handlers: h => h with { NService = handler });
        await using var association = await ConnectAsync(scp.Port, Commitment);

        var request = new DicomDataset();
        request.Add(DicomTag.TransactionUID, DicomUid.Generate());
        var referenced = new DicomDataset();
        referenced.Add(DicomTag.ReferencedSOPClassUID, DicomUid.CTImageStorage.Value);
        referenced.Add(DicomTag.ReferencedSOPInstanceUID, DicomUid.Generate());
        request.AddOrUpdate(DicomTag.ReferencedSOPSequence, referenced);

        var (status, _, action) = await RequestAsync(association, Commitment, DicomCommandField.NActionRequest, DicomUid.StorageCommitmentPushModelInstance.Value, request, actionTypeId: 1);
        Assert.Equal(DicomStatus.Success, status);
        Assert.Equal((ushort)1, action.ActionTypeID);
        Assert.Equal(DicomUid.StorageCommitmentPushModelInstance.Value, action.AffectedSOPInstanceUID);
        var seen = Assert.Single(handler.Requests, r => r.CommandField == DicomCommandField.NActionRequest);
        Assert.Equal(request.GetString(DicomTag.TransactionUID), seen.DataSet!.GetString(DicomTag.TransactionUID));
        Assert.Equal(referenced.GetString(DicomTag.ReferencedSOPInstanceUID), seen.DataSet.GetSequence(DicomTag.ReferencedSOPSequence)[0].GetString(DicomTag.ReferencedSOPInstanceUID));

        (status, _, var report) = await RequestAsync(association, Commitment, DicomCommandField.NEventReportRequest, DicomUid.StorageCommitmentPushModelInstance.Value, request, eventTypeId: 1);
        Assert.Equal(DicomStatus.Success, status);
        Assert.Equal((ushort)1, report.EventTypeID);
        await association.ReleaseAsync();
    }

    [Fact]
    public async Task Without_a_handler_the_normalized_class_is_not_accepted()
    {
        await using var scp = await ServerFixture.StartAsync();
        var client = new DicomClient(new DicomClientOptions { Host = "127.0.0.1", Port = scp.Port, CalledAETitle = ServerFixture.AETitle });
        await using var association = await client.ConnectAsync([(Mpps, [DicomTransferSyntax.ExplicitVRLittleEndian.UidValue]), (DicomUid.Verification.Value, [DicomTransferSyntax.ImplicitVRLittleEndian.UidValue])]);
        Assert.Null(association.Association.FindContext(Mpps));
        Assert.Equal(DicomStatus.Success, await association.EchoAsync());
        await association.ReleaseAsync();
    }

    private static async Task<DicomClientAssociation> ConnectAsync(int port, string sopClass)
    {
        var client = new DicomClient(new DicomClientOptions { Host = "127.0.0.1", Port = port, CalledAETitle = ServerFixture.AETitle });
        return await client.ConnectAsync([(sopClass, [DicomTransferSyntax.ExplicitVRLittleEndian.UidValue])]);
    }

    private static async Task<(DicomStatus Status, DicomDataset? DataSet, DicomCommand Response)> RequestAsync(
        DicomClientAssociation association, string sopClass, DicomCommandField field, string? instance, DicomDataset? dataSet,
        IReadOnlyList<DicomTag>? attributes = null, ushort? actionTypeId = null, ushort? eventTypeId = null)
    {
        var context = association.Association.FindContext(sopClass) ?? throw new InvalidOperationException($"{sopClass} not accepted");
        var command = DicomCommand.Request(field, 0, sopClass, dataSet is not null, instance);
        command.ActionTypeID = actionTypeId;
        command.EventTypeID = eventTypeId;
        if (attributes is not null)
        {
            command.AttributeIdentifierList = attributes;
        }

        using var body = dataSet is null ? null : new MemoryStream(DicomDatasetWriter.ToBytes(dataSet, context.TransferSyntax!));
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var response in association.RequestAsync(context.Id, command, body, bound.Token))
        {
            DicomDataset? returned = null;
            if (response.DataSet is not null)
            {
                returned = DicomDatasetReader.Read(await response.ReadDataSetAsync(1 << 20, bound.Token), context.TransferSyntax!);
            }

            return (response.Command.Status, returned, response.Command);
        }

        throw new InvalidOperationException("no response");
    }

    /// <summary>Keeps created instances in memory; the shape of an MPPS or storage commitment SCP without the business rules.</summary>
    private sealed class InMemoryNHandler : IDicomNServiceHandler
    {
        private readonly ConcurrentDictionary<string, DicomDataset> _instances = new(StringComparer.Ordinal);

        public ConcurrentQueue<DicomNServiceRequest> Requests { get; } = new();

        public IReadOnlyCollection<string> SopClasses { get; } = [Mpps, Commitment];

        public ValueTask<DicomNServiceResponse> OnRequestAsync(DicomNServiceRequest request, CancellationToken cancellationToken)
        {
            Requests.Enqueue(request);
            switch (request.CommandField)
            {
                case DicomCommandField.NCreateRequest:
                    var uid = request.SopInstanceUid ?? DicomUid.Generate();
                    _instances[uid] = request.DataSet?.Clone() ?? new DicomDataset();
                    return ValueTask.FromResult(new DicomNServiceResponse(DicomStatus.Success, AffectedSopInstanceUid: uid));
                case DicomCommandField.NSetRequest:
                    var stored = Find(request);
                    foreach (var item in request.DataSet ?? new DicomDataset())
                    {
                        stored.AddOrUpdate(item.Clone());
                    }

                    return ValueTask.FromResult(new DicomNServiceResponse(DicomStatus.Success));
                case DicomCommandField.NGetRequest:
                    var source = Find(request);
                    var reply = new DicomDataset();
                    foreach (var item in source)
                    {
                        if (request.AttributeIdentifierList.Count == 0 || request.AttributeIdentifierList.Contains(item.Tag))
                        {
                            reply.Add(item.Clone());
                        }
                    }

                    return ValueTask.FromResult(new DicomNServiceResponse(DicomStatus.Success, reply));
                case DicomCommandField.NDeleteRequest:
                    return ValueTask.FromResult(new DicomNServiceResponse(_instances.TryRemove(request.SopInstanceUid ?? string.Empty, out _) ? DicomStatus.Success : DicomStatus.NoSuchSopInstance));
                default:
                    return ValueTask.FromResult(new DicomNServiceResponse(DicomStatus.Success));
            }
        }

        private DicomDataset Find(DicomNServiceRequest request) =>
            _instances.TryGetValue(request.SopInstanceUid ?? string.Empty, out var found) ? found : throw new DicomServiceException(DicomStatus.NoSuchSopInstance);
    }
}
