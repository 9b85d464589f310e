# Reference values for the archive tests, read with pydicom (independent of our toolkit):
# for each Part 10 file given, its UIDs, transfer syntax and some index attributes, as JSON lines.
import json, re, sys
import pydicom

UID = re.compile(r'^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$')

def text(ds, keyword):
    v = ds.get(keyword)
    if v is None or v == '':
        return None
    s = str(v) if not isinstance(v, (list, pydicom.multival.MultiValue)) else '\\'.join(str(x) for x in v)
    s = s.replace('\0', '').strip()
    return s or None

for path in sys.argv[1:]:
    out = {'file': path}
    try:
        ds = pydicom.dcmread(path, stop_before_pixels=True)
        if 'TransferSyntaxUID' not in ds.file_meta or not ds.preamble:
            out['skip'] = 'no meta'
        else:
            out['ts'] = str(ds.file_meta.TransferSyntaxUID)
            uids = {k: text(ds, k) for k in ('StudyInstanceUID', 'SeriesInstanceUID', 'SOPInstanceUID', 'SOPClassUID')}
            out.update(uids)
            out['valid'] = all(u is not None and len(u) <= 64 and UID.match(u) for u in uids.values())
            for k in ('PatientID', 'StudyDate', 'StudyTime', 'Modality', 'AccessionNumber', 'StudyDescription', 'SeriesDescription'):
                out[k] = text(ds, k)
            out['PatientName'] = text(ds, 'PatientName')
            for k in ('SeriesNumber', 'InstanceNumber', 'Rows', 'Columns'):
                v = ds.get(k)
                try:
                    out[k] = int(v) if v is not None and v != '' else None
                except Exception:
                    out[k] = None
    except Exception as e:
        out['skip'] = 'pydicom: %s' % e
    print(json.dumps(out))
