# For pairs "original stored": 1 when pydicom reads both and the stored file's dataset equals the original's and its
# meta names the same SOP Instance and transfer syntax; prints one JSON line per pair.
import json, sys
import pydicom

args = sys.argv[1:]
for original, stored in zip(args[0::2], args[1::2]):
    a = pydicom.dcmread(original, force=True)
    b = pydicom.dcmread(stored)
    same = (a == b)  # dataset elements, pixel data included
    meta_ok = (str(b.file_meta.MediaStorageSOPInstanceUID) == str(a.SOPInstanceUID)
               and str(b.file_meta.TransferSyntaxUID) == str(a.file_meta.TransferSyntaxUID))
    print(json.dumps({'original': original, 'equal': bool(same), 'meta': bool(meta_ok),
                      'source_ae': str(b.file_meta.get('SourceApplicationEntityTitle', ''))}))
