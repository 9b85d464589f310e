using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pacs.Dicom.Network.Client;
using Pacs.Dicom.Network.Tests.Support;

namespace Pacs.Dicom.Network.Tests.Interop;

/// <summary>
/// The SCP with TLS (PS3.15 B.1): DCMTK's echoscu and storescu over TLS are served, a plain TCP client is refused,
/// and the server keeps serving TLS clients after that.
/// </summary>
public sealed class TlsTests : IDisposable
{
    private readonly string _directory = TestData.NewTempDirectory();
    private readonly X509Certificate2 _certificate;
    private readonly string _certificatePem;

    public TlsTests()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // A certificate with its private key exported and re-imported, so SslStream on Linux can use the key.
        _certificate = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        _certificatePem = Path.Combine(_directory, "server.pem");
        File.WriteAllText(_certificatePem, certificate.ExportCertificatePem());
    }

    public void Dispose()
    {
        _certificate.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Dcmtk_clients_are_served_over_tls_and_plain_tcp_is_refused()
    {
        await using var scp = await ServerFixture.StartAsync(writeFiles: true, configure: o => o with
        {
            Tls = new SslServerAuthenticationOptions { ServerCertificate = _certificate, ClientCertificateRequired = false },
        });
        var port = scp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var timeout = TimeSpan.FromSeconds(60);

        var (echo, echoOutput) = await ExternalProcess.RunAsync(timeout, "echoscu", "-aec", ServerFixture.AETitle, "+tla", "+cf", _certificatePem, "127.0.0.1", port);
        Assert.True(echo == 0, echoOutput);

        var plain = new DicomClient(new DicomClientOptions { Host = "127.0.0.1", Port = scp.Port, CalledAETitle = ServerFixture.AETitle });
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var bound = new CancellationTokenSource(timeout);
            await using var association = await plain.ConnectAsync([(DicomUid.Verification.Value, [DicomTransferSyntax.ImplicitVRLittleEndian.UidValue])], cancellationToken: bound.Token);
            Assert.Fail("a plain TCP association was accepted by a TLS-only server");
        });

        var sample = TestData.Sample("pyd_MR_small.dcm");
        var (store, storeOutput) = await ExternalProcess.RunAsync(timeout, "storescu", "-aec", ServerFixture.AETitle, "+tla", "+cf", _certificatePem, "127.0.0.1", port, sample);
        Assert.True(store == 0, storeOutput);
        var received = Assert.Single(scp.Store.Received);
        Assert.Equal(DicomUid.MRImageStorage.Value, received.Request.SopClassUid);
        // storescu may re-encode (group lengths, padding), so the comparison is dataset for dataset, as pydicom sees them.
        Assert.EndsWith("COMPARED bad=0", (await DatasetComparer.CompareAsync([(sample, received.Path!)])).TrimEnd(), StringComparison.Ordinal);
    }
}
