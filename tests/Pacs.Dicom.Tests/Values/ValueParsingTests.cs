namespace Pacs.Dicom.Tests.Values;

/// <summary>Edge cases from PS3.5 6.2 (the expected values are the standard's definitions, not our output).</summary>
public class ValueParsingTests
{
    [Theory]
    [InlineData("20240229", 2024, 2, 29)]
    [InlineData(" 19700101 ", 1970, 1, 1)]
    [InlineData("1999.12.31", 1999, 12, 31)]
    public void DA_parses(string text, int y, int m, int d)
    {
        Assert.True(DicomValueParser.TryParseDate(text, out var date));
        Assert.Equal(new DateOnly(y, m, d), date);
    }

    [Theory]
    [InlineData("20230229")]
    [InlineData("2024131")]
    [InlineData("20241301")]
    [InlineData("")]
    [InlineData("2024-01-01")]
    public void DA_rejects(string text) => Assert.False(DicomValueParser.TryParseDate(text, out _));

    [Theory]
    [InlineData("07", 7, 0, 0, 0)]
    [InlineData("0730", 7, 30, 0, 0)]
    [InlineData("073015", 7, 30, 15, 0)]
    [InlineData("073015.5", 7, 30, 15, 500000)]
    [InlineData("235959.000001", 23, 59, 59, 1)]
    [InlineData("07:30:15.25", 7, 30, 15, 250000)]
    public void TM_parses_partial_precision_and_fractions(string text, int h, int m, int s, int micro)
    {
        Assert.True(DicomValueParser.TryParseTime(text, out var time));
        Assert.Equal(new TimeOnly(h, m, s).Add(TimeSpan.FromTicks(micro * 10L)), time);
    }

    [Theory]
    [InlineData("24")]
    [InlineData("0760")]
    [InlineData("073015.1234567")]
    [InlineData("7")]
    public void TM_rejects(string text) => Assert.False(DicomValueParser.TryParseTime(text, out _));

    [Fact]
    public void TM_leap_second_is_kept_inside_the_minute()
    {
        Assert.True(DicomValueParser.TryParseTime("235960", out var time));
        Assert.Equal(23, time.Hour);
        Assert.Equal(59, time.Second);
    }

    [Fact]
    public void DT_with_partial_precision_and_offset()
    {
        var dt = DicomValueParser.ParseDateTime("2020");
        Assert.Equal(new DateTime(2020, 1, 1), dt.DateTime);
        Assert.Equal(DicomDateTimePrecision.Year, dt.Precision);
        Assert.Null(dt.Offset);

        dt = DicomValueParser.ParseDateTime("20200315103000.25-0500");
        Assert.Equal(new DateTime(2020, 3, 15, 10, 30, 0, 250), dt.DateTime);
        Assert.Equal(TimeSpan.FromHours(-5), dt.Offset);
        Assert.Equal(new DateTimeOffset(2020, 3, 15, 15, 30, 0, 250, TimeSpan.Zero), dt.ToDateTimeOffset().ToUniversalTime());
        Assert.Equal("20200315103000.250000-0500", dt.ToString());
        Assert.False(DicomValueParser.TryParseDateTime("20200315+25", out _));
        Assert.False(DicomValueParser.TryParseDateTime("202", out _));
    }

    [Theory]
    [InlineData("018Y", 18, DicomAgeUnit.Years)]
    [InlineData("003W", 3, DicomAgeUnit.Weeks)]
    [InlineData("120D", 120, DicomAgeUnit.Days)]
    [InlineData("006M", 6, DicomAgeUnit.Months)]
    public void AS_parses_and_formats(string text, int value, DicomAgeUnit unit)
    {
        Assert.True(DicomAge.TryParse(text, out var age));
        Assert.Equal(new DicomAge(value, unit), age);
        Assert.Equal(text, age.ToString());
    }

    [Theory]
    [InlineData("18Y")]
    [InlineData("018X")]
    [InlineData("-18Y")]
    public void AS_rejects(string text) => Assert.False(DicomAge.TryParse(text, out _));

    [Theory]
    [InlineData(" 42 ", 42)]
    [InlineData("+7", 7)]
    [InlineData("-2147483648", -2147483648)]
    public void IS_tolerates_spaces_and_signs(string text, long expected)
    {
        Assert.True(DicomValueParser.TryParseInteger(text, out var v));
        Assert.Equal(expected, v);
    }

    [Theory]
    [InlineData("1A")]
    [InlineData("1.5")]
    [InlineData("")]
    public void IS_rejects(string text) => Assert.False(DicomValueParser.TryParseInteger(text, out _));

    [Theory]
    [InlineData(" 1.5 ", 1.5)]
    [InlineData("-2e3", -2000)]
    [InlineData(".5", 0.5)]
    [InlineData("+1.0E-2", 0.01)]
    public void DS_parses_fixed_and_floating_forms(string text, double expected)
    {
        Assert.True(DicomValueParser.TryParseDouble(text, out var d));
        Assert.Equal(expected, d, 12);
        Assert.True(DicomValueParser.TryParseDecimal(text, out var m));
        Assert.Equal((decimal)expected, m);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1,5")]
    public void DS_rejects(string text) => Assert.False(DicomValueParser.TryParseDouble(text, out _));

    [Fact]
    public void DS_formatting_fits_sixteen_characters()
    {
        var text = DicomValueFormatter.FormatDecimal(Math.PI * 1e-7);
        Assert.True(text.Length <= 16, text);
        Assert.True(DicomValueParser.TryParseDouble(text, out var back));
        Assert.True(Math.Abs(back - (Math.PI * 1e-7)) / (Math.PI * 1e-7) < 1e-10, text);
    }

    [Fact]
    public void PN_with_three_component_groups()
    {
        var pn = DicomPersonName.Parse("Yamada^Tarou=山田^太郎=やまだ^たろう");
        Assert.Equal("Yamada", pn.Alphabetic.FamilyName);
        Assert.Equal("Tarou", pn.Alphabetic.GivenName);
        Assert.Equal("山田", pn.Ideographic.FamilyName);
        Assert.Equal("たろう", pn.Phonetic.GivenName);
        Assert.Equal("Yamada^Tarou=山田^太郎=やまだ^たろう", pn.ToString());
    }

    [Fact]
    public void PN_components_and_trailing_empties()
    {
        var pn = DicomPersonName.Parse("Adams^John Robert Quincy^^Rev.^B.A. M.Div.");
        Assert.Equal("John Robert Quincy", pn.Alphabetic.GivenName);
        Assert.Equal(string.Empty, pn.Alphabetic.MiddleName);
        Assert.Equal("Rev.", pn.Alphabetic.NamePrefix);
        Assert.Equal("B.A. M.Div.", pn.Alphabetic.NameSuffix);
        Assert.Equal("Wang^XiaoDong", DicomPersonName.Parse("Wang^XiaoDong^^^==").ToString());
        Assert.Equal("=王^小東", DicomPersonName.Parse("=王^小東").ToString());
        Assert.True(DicomPersonName.Parse("").Alphabetic.IsEmpty);
    }

    [Fact]
    public void Date_ranges_for_queries()
    {
        var r = DicomDateRange.Parse("20200101-20201231");
        Assert.Equal(new DateOnly(2020, 1, 1), r.From);
        Assert.Equal(new DateOnly(2020, 12, 31), r.To);
        Assert.Equal(new DicomDateRange(null, new DateOnly(2020, 12, 31)), DicomDateRange.Parse("-2020"));
        Assert.Equal(new DicomDateRange(new DateOnly(2020, 1, 1), null), DicomDateRange.Parse("2020-"));
        Assert.Equal(new DicomDateRange(new DateOnly(2020, 2, 1), new DateOnly(2020, 2, 29)), DicomDateRange.Parse("202002"));
        Assert.True(DicomDateRange.Parse("20200315").Contains(new DateOnly(2020, 3, 15)));
        Assert.False(DicomDateRange.TryParse("20201231-20200101", out _));
        Assert.False(DicomDateRange.TryParse("-", out _));
    }
}
