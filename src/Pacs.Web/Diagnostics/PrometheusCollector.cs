using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Pacs.Web.Diagnostics;

/// <summary>
/// Collects the process's System.Diagnostics.Metrics instruments (every "Pacs*" meter, ASP.NET Core hosting and
/// Kestrel) and writes them in the Prometheus text exposition format (version 0.0.4). Counters and gauges keep one
/// value per tag set; histograms keep cumulative buckets, sum and count.
/// </summary>
public sealed class PrometheusCollector : IDisposable
{
    private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private static readonly double[] DefaultBuckets = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];
    private static readonly string[] Meters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _instruments = new();

    public PrometheusCollector()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            var meter = instrument.Meter.Name;
            if (meter.StartsWith("Pacs", StringComparison.Ordinal) || Meters.Contains(meter))
            {
                _instruments[instrument] = new InstrumentState(instrument);
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>The current values in the text exposition format.</summary>
    public string Scrape()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var state in _instruments.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            state.Write(text);
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_instruments.TryGetValue(instrument, out var state))
        {
            state.Record(value, tags);
        }
    }

    private sealed class InstrumentState
    {
        private readonly Instrument _instrument;
        private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);
        private readonly bool _histogram;
        private readonly bool _observable;
        private readonly bool _counter;
        private readonly double[] _bounds;

        public InstrumentState(Instrument instrument)
        {
            _instrument = instrument;
            var type = instrument.GetType().Name;
            _histogram = type.StartsWith("Histogram", StringComparison.Ordinal);
            _observable = type.StartsWith("Observable", StringComparison.Ordinal);
            _counter = type.StartsWith("Counter", StringComparison.Ordinal) || type.StartsWith("ObservableCounter", StringComparison.Ordinal);
            _bounds = instrument.Unit == "s" ? SecondsBuckets : DefaultBuckets;
            Name = PrometheusName(instrument);
        }

        public string Name { get; }

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = Labels(tags);
            var series = _series.GetOrAdd(labels, _ => new Series(_histogram ? _bounds.Length : 0));
            lock (series)
            {
                if (_histogram)
                {
                    series.Count++;
                    series.Sum += value;
                    for (var i = 0; i < _bounds.Length; i++)
                    {
                        if (value <= _bounds[i])
                        {
                            series.Buckets[i]++;
                        }
                    }
                }
                else if (_observable)
                {
                    series.Sum = value; // observable instruments report the current total, not an increment
                }
                else
                {
                    series.Sum += value;
                }
            }
        }

        public void Write(StringBuilder text)
        {
            if (_series.IsEmpty)
            {
                return;
            }

            var type = _histogram ? "histogram" : _counter ? "counter" : "gauge";
            if (!string.IsNullOrEmpty(_instrument.Description))
            {
                text.Append("# HELP ").Append(Name).Append(' ').Append(_instrument.Description.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
            }

            text.Append("# TYPE ").Append(Name).Append(' ').Append(type).Append('\n');
            foreach (var (labels, series) in _series.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                lock (series)
                {
                    if (_histogram)
                    {
                        for (var i = 0; i < _bounds.Length; i++)
                        {
                            Sample(text, Name + "_bucket", Join(labels, $"le=\"{Number(_bounds[i])}\""), series.Buckets[i]);
                        }

                        Sample(text, Name + "_bucket", Join(labels, "le=\"+Inf\""), series.Count);
                        Sample(text, Name + "_sum", labels, series.Sum);
                        Sample(text, Name + "_count", labels, series.Count);
                    }
                    else
                    {
                        Sample(text, Name, labels, series.Sum);
                    }
                }
            }
        }

        private static void Sample(StringBuilder text, string name, string labels, double value)
        {
            text.Append(name);
            if (labels.Length > 0)
            {
                text.Append('{').Append(labels).Append('}');
            }

            text.Append(' ').Append(Number(value)).Append('\n');
        }

        private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

        private static string Number(double value) => double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("R", CultureInfo.InvariantCulture);

        private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length == 0)
            {
                return string.Empty;
            }

            var pairs = new List<string>(tags.Length);
            foreach (var tag in tags)
            {
                var value = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty;
                value = value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
                pairs.Add($"{Sanitize(tag.Key)}=\"{value}\"");
            }

            pairs.Sort(StringComparer.Ordinal);
            return string.Join(',', pairs);
        }

        private static string PrometheusName(Instrument instrument)
        {
            var name = Sanitize(instrument.Name);
            var suffix = instrument.Unit switch
            {
                "s" => "_seconds",
                "ms" => "_milliseconds",
                "By" => "_bytes",
                _ => string.Empty,
            };
            if (suffix.Length > 0 && !name.EndsWith(suffix, StringComparison.Ordinal))
            {
                name += suffix;
            }

            var type = instrument.GetType().Name;
            if ((type.StartsWith("Counter", StringComparison.Ordinal) || type.StartsWith("ObservableCounter", StringComparison.Ordinal)) && !name.EndsWith("_total", StringComparison.Ordinal))
            {
                name += "_total";
            }

            return name;
        }

        private static string Sanitize(string name)
        {
            var chars = name.ToCharArray();
            for (var i = 0; i < chars.Length; i++)
            {
                if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] == '_' || chars[i] == ':'))
                {
                    chars[i] = '_';
                }
            }

            return char.IsAsciiDigit(chars[0]) ? "_" + new string(chars) : new string(chars);
        }
    }

    private sealed class Series(int buckets)
    {
        public double Sum { get; set; }

        public long Count { get; set; }

        public long[] Buckets { get; } = new long[buckets];
    }
}
