# For pairs "original stored": one JSON line per pair telling whether pydicom reads the stored file's dataset as equal
# to the original's (pixel data included) and whether its regenerated meta names the same SOP Instance.
# "equal" is null when pydicom cannot read the original at all (the caller then compares with another reader).
import json, sys
import pydicom

args = sys.argv[1:]
for original, stored in zip(args[0::2], args[1::2]):
    try:
        a = pydicom.dcmread(original, force=True)
    except Exception as e:  # noqa: BLE001 - any failure means pydicom is no reference for this file
        print(json.dumps({'original': original, 'equal': None, 'meta': None, 'error': str(e)}))
        continue
    b = pydicom.dcmread(stored)
    print(json.dumps({'original': original, 'equal': bool(a == b),
                      'meta': str(b.file_meta.MediaStorageSOPInstanceUID) == str(a.SOPInstanceUID)}))
