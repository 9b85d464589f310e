namespace Pacs.Dicom.Network.Dimse;

/// <summary>Element numbers of the command group (0000,eeee) this toolkit reads and writes (PS3.7 E.1).</summary>
internal static class CommandElement
{
    public const ushort CommandGroupLength = 0x0000;
    public const ushort AffectedSOPClassUID = 0x0002;
    public const ushort RequestedSOPClassUID = 0x0003;
    public const ushort CommandField = 0x0100;
    public const ushort MessageID = 0x0110;
    public const ushort MessageIDBeingRespondedTo = 0x0120;
    public const ushort MoveDestination = 0x0600;
    public const ushort Priority = 0x0700;
    public const ushort CommandDataSetType = 0x0800;
    public const ushort Status = 0x0900;
    public const ushort OffendingElement = 0x0901;
    public const ushort ErrorComment = 0x0902;
    public const ushort ErrorID = 0x0903;
    public const ushort AffectedSOPInstanceUID = 0x1000;
    public const ushort RequestedSOPInstanceUID = 0x1001;
    public const ushort EventTypeID = 0x1002;
    public const ushort AttributeIdentifierList = 0x1005;
    public const ushort ActionTypeID = 0x1008;
    public const ushort NumberOfRemainingSuboperations = 0x1020;
    public const ushort NumberOfCompletedSuboperations = 0x1021;
    public const ushort NumberOfFailedSuboperations = 0x1022;
    public const ushort NumberOfWarningSuboperations = 0x1023;
    public const ushort MoveOriginatorApplicationEntityTitle = 0x1030;
    public const ushort MoveOriginatorMessageID = 0x1031;

    /// <summary>The value kind of each element; elements not listed (retired ones) are carried as raw bytes.</summary>
    public static CommandValueKind KindOf(ushort element) => element switch
    {
        CommandGroupLength => CommandValueKind.UL,
        AffectedSOPClassUID or RequestedSOPClassUID or AffectedSOPInstanceUID or RequestedSOPInstanceUID => CommandValueKind.UI,
        MoveDestination or MoveOriginatorApplicationEntityTitle => CommandValueKind.AE,
        ErrorComment => CommandValueKind.LO,
        OffendingElement or AttributeIdentifierList => CommandValueKind.AT,
        CommandField or MessageID or MessageIDBeingRespondedTo or Priority or CommandDataSetType or Status or ErrorID
            or EventTypeID or ActionTypeID or NumberOfRemainingSuboperations or NumberOfCompletedSuboperations
            or NumberOfFailedSuboperations or NumberOfWarningSuboperations or MoveOriginatorMessageID => CommandValueKind.US,
        _ => CommandValueKind.Other,
    };
}

internal enum CommandValueKind
{
    Other,
    UL,
    US,
    UI,
    AE,
    LO,
    AT,
}
