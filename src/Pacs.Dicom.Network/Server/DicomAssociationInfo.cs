using System.Net;

namespace Pacs.Dicom.Network.Server;

/// <summary>Who a request comes from, as handed to service handlers.</summary>
public sealed record DicomAssociationInfo(string CallingAETitle, string CalledAETitle, EndPoint? RemoteEndPoint);
