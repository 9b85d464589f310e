namespace Pacs.Dicom.Network.Dimse;

/// <summary>The kind of a DIMSE status (PS3.7 Annex C).</summary>
public enum DicomStatusKind
{
    Success,
    Warning,
    Failure,
    Cancel,
    Pending,
}

/// <summary>A DIMSE Status (0000,0900) value with the codes PS3.4 and PS3.7 Annex C define.</summary>
public readonly record struct DicomStatus(ushort Code)
{
    public static readonly DicomStatus Success = new(0x0000);

    /// <summary>Pending: matches/sub-operations are continuing.</summary>
    public static readonly DicomStatus Pending = new(0xFF00);

    /// <summary>C-FIND pending: one or more optional keys were not supported for this match (PS3.4 C.4.1.1.4).</summary>
    public static readonly DicomStatus PendingWarning = new(0xFF01);

    public static readonly DicomStatus Cancel = new(0xFE00);

    /// <summary>Warning: coercion of data elements (C-STORE, PS3.4 B.2.3).</summary>
    public static readonly DicomStatus CoercionOfDataElements = new(0xB000);

    /// <summary>Warning: sub-operations complete, one or more failures or warnings (C-MOVE/C-GET, PS3.4 C.4.2.1.5).</summary>
    public static readonly DicomStatus SubOperationsCompleteWithFailures = new(0xB000);

    /// <summary>Warning: elements discarded (C-STORE).</summary>
    public static readonly DicomStatus ElementsDiscarded = new(0xB006);

    /// <summary>Warning: dataset does not match SOP class (C-STORE).</summary>
    public static readonly DicomStatus DataSetDoesNotMatchSopClassWarning = new(0xB007);

    /// <summary>Refused: out of resources (C-STORE 0xA7xx; 0xA700 for C-FIND/C-MOVE/C-GET).</summary>
    public static readonly DicomStatus OutOfResources = new(0xA700);

    /// <summary>Refused: out of resources, unable to calculate the number of matches (C-MOVE/C-GET).</summary>
    public static readonly DicomStatus OutOfResourcesUnableToCalculateMatches = new(0xA701);

    /// <summary>Refused: out of resources, unable to perform sub-operations (C-MOVE/C-GET).</summary>
    public static readonly DicomStatus OutOfResourcesUnableToPerformSubOperations = new(0xA702);

    /// <summary>Refused: Move Destination unknown (C-MOVE, PS3.4 C.4.2.1.5).</summary>
    public static readonly DicomStatus MoveDestinationUnknown = new(0xA801);

    /// <summary>Error: dataset does not match SOP class (C-STORE), or identifier does not match SOP class (C-FIND/C-MOVE/C-GET).</summary>
    public static readonly DicomStatus DataSetDoesNotMatchSopClass = new(0xA900);

    /// <summary>Error: cannot understand (0xCxxx).</summary>
    public static readonly DicomStatus CannotUnderstand = new(0xC000);

    /// <summary>Failed: unable to process (C-FIND/C-MOVE/C-GET, 0xC000-0xCFFF; PS3.4 C.4.1.1.4).</summary>
    public static readonly DicomStatus UnableToProcess = new(0xC000);

    /// <summary>Failure: duplicate SOP instance (PS3.7 C.5.8).</summary>
    public static readonly DicomStatus DuplicateSopInstance = new(0x0111);

    /// <summary>Failure: invalid argument value (PS3.7 C.5.10).</summary>
    public static readonly DicomStatus InvalidArgumentValue = new(0x0115);

    /// <summary>Failure: mistyped argument (PS3.7 C.5.15).</summary>
    public static readonly DicomStatus MistypedArgument = new(0x0212);

    /// <summary>Failure: no such action type (PS3.7 C.5.17).</summary>
    public static readonly DicomStatus NoSuchActionType = new(0x0123);

    /// <summary>Failure: no such SOP class (PS3.7 C.5.20).</summary>
    public static readonly DicomStatus NoSuchSopClass = new(0x0118);

    /// <summary>Failure: no such SOP instance (PS3.7 C.5.21).</summary>
    public static readonly DicomStatus NoSuchSopInstance = new(0x0112);

    /// <summary>Failure: processing failure (PS3.7 C.5.23).</summary>
    public static readonly DicomStatus ProcessingFailure = new(0x0110);

    /// <summary>Failure: resource limitation (PS3.7 C.5.25).</summary>
    public static readonly DicomStatus ResourceLimitation = new(0x0213);

    /// <summary>Failure: SOP class not supported (PS3.7 C.5.28).</summary>
    public static readonly DicomStatus SopClassNotSupported = new(0x0122);

    /// <summary>Failure: unrecognized operation (PS3.7 C.5.31).</summary>
    public static readonly DicomStatus UnrecognizedOperation = new(0x0211);

    /// <summary>Failure: not authorized (PS3.7 C.5.27).</summary>
    public static readonly DicomStatus NotAuthorized = new(0x0124);

    /// <summary>Failure: duplicate invocation (Message ID already in use, PS3.7 C.5.7).</summary>
    public static readonly DicomStatus DuplicateInvocation = new(0x0210);

    public DicomStatusKind Kind => Code switch
    {
        0x0000 => DicomStatusKind.Success,
        0xFF00 or 0xFF01 => DicomStatusKind.Pending,
        0xFE00 => DicomStatusKind.Cancel,
        0x0001 or 0x0107 or 0x0116 or (>= 0xB000 and <= 0xBFFF) => DicomStatusKind.Warning,
        _ => DicomStatusKind.Failure,
    };

    public bool IsSuccess => Kind == DicomStatusKind.Success;

    public bool IsPending => Kind == DicomStatusKind.Pending;

    /// <summary>A final status: the operation is over (success, warning, failure or cancel).</summary>
    public bool IsFinal => Kind != DicomStatusKind.Pending;

    public override string ToString() => $"0x{Code:X4} ({Kind})";
}
