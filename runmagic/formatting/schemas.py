"""The Go types docker CLI v28.2 decodes the engine's answers into.

Pure data. ``--format`` templates run against these types, so their field
order, Go names, JSON names and ``omitempty`` decide what ``{{.State}}`` or
``{{json .HostConfig}}`` prints (see :mod:`.govalues`). Each block below is
one struct: its name, then one field per indented line::

    Name Type [json=Key] [omitempty]      a field (json= when the key differs)
    embed Type                            an embedded struct (fields promoted)

Types: ``string bool int int64 uint16 uint32 uint64 float64 any``,
``time.Time``, ``time.Duration``, ``fs.FileMode``, ``struct{}``, ``[]T``,
``[N]T``, ``map[string]T``, ``*T`` and the names of other blocks. A name
declared ``opaque`` is a type runmagic does not model (swarm-only data):
nil is fine, anything else is refused rather than printed wrongly.
"""

from __future__ import annotations

from functools import lru_cache

from runmagic.golang import values as gv

_DECLARATIONS = """
container.InspectResponse
    embed *container.ContainerJSONBase
    Mounts []container.MountPoint
    Config *container.Config
    NetworkSettings *container.NetworkSettings
    ImageManifestDescriptor *v1.Descriptor omitempty

container.ContainerJSONBase
    ID string json=Id
    Created string
    Path string
    Args []string
    State *container.State
    Image string
    ResolvConfPath string
    HostnamePath string
    HostsPath string
    LogPath string
    Name string
    RestartCount int
    Driver string
    Platform string
    MountLabel string
    ProcessLabel string
    AppArmorProfile string
    ExecIDs []string
    HostConfig *container.HostConfig
    GraphDriver storage.DriverData
    SizeRw *int64 omitempty
    SizeRootFs *int64 omitempty

container.State
    Status string
    Running bool
    Paused bool
    Restarting bool
    OOMKilled bool
    Dead bool
    Pid int
    ExitCode int
    Error string
    StartedAt string
    FinishedAt string
    Health *container.Health omitempty

container.Health
    Status string
    FailingStreak int
    Log []*container.HealthcheckResult

container.HealthcheckResult
    Start time.Time
    End time.Time
    ExitCode int
    Output string

container.MountPoint
    Type string omitempty
    Name string omitempty
    Source string
    Destination string
    Driver string omitempty
    Mode string
    RW bool
    Propagation string

storage.DriverData
    Data map[string]string
    Name string

container.Config
    Hostname string
    Domainname string
    User string
    AttachStdin bool
    AttachStdout bool
    AttachStderr bool
    ExposedPorts map[string]struct{} omitempty
    Tty bool
    OpenStdin bool
    StdinOnce bool
    Env []string
    Cmd []string
    Healthcheck *v1.HealthcheckConfig omitempty
    ArgsEscaped bool omitempty
    Image string
    Volumes map[string]struct{}
    WorkingDir string
    Entrypoint []string
    NetworkDisabled bool omitempty
    MacAddress string omitempty
    OnBuild []string
    Labels map[string]string
    StopSignal string omitempty
    StopTimeout *int omitempty
    Shell []string omitempty

v1.HealthcheckConfig
    Test []string omitempty
    Interval time.Duration omitempty
    Timeout time.Duration omitempty
    StartPeriod time.Duration omitempty
    StartInterval time.Duration omitempty
    Retries int omitempty

container.NetworkSettings
    embed container.NetworkSettingsBase
    embed container.DefaultNetworkSettings
    Networks map[string]*network.EndpointSettings

container.NetworkSettingsBase
    Bridge string
    SandboxID string
    SandboxKey string
    Ports map[string][]nat.PortBinding
    HairpinMode bool
    LinkLocalIPv6Address string
    LinkLocalIPv6PrefixLen int
    SecondaryIPAddresses []network.Address
    SecondaryIPv6Addresses []network.Address

container.DefaultNetworkSettings
    EndpointID string
    Gateway string
    GlobalIPv6Address string
    GlobalIPv6PrefixLen int
    IPAddress string
    IPPrefixLen int
    IPv6Gateway string
    MacAddress string

nat.PortBinding
    HostIP string json=HostIp
    HostPort string

network.Address
    Addr string
    PrefixLen int

network.EndpointSettings
    IPAMConfig *network.EndpointIPAMConfig
    Links []string
    Aliases []string
    MacAddress string
    DriverOpts map[string]string
    GwPriority int
    NetworkID string
    EndpointID string
    Gateway string
    IPAddress string
    IPPrefixLen int
    IPv6Gateway string
    GlobalIPv6Address string
    GlobalIPv6PrefixLen int
    DNSNames []string

network.EndpointIPAMConfig
    IPv4Address string omitempty
    IPv6Address string omitempty
    LinkLocalIPs []string omitempty

container.HostConfig
    Binds []string
    ContainerIDFile string
    LogConfig container.LogConfig
    NetworkMode string
    PortBindings map[string][]nat.PortBinding
    RestartPolicy container.RestartPolicy
    AutoRemove bool
    VolumeDriver string
    VolumesFrom []string
    ConsoleSize [2]uint
    Annotations map[string]string omitempty
    CapAdd []string
    CapDrop []string
    CgroupnsMode string
    DNS []string json=Dns
    DNSOptions []string json=DnsOptions
    DNSSearch []string json=DnsSearch
    ExtraHosts []string
    GroupAdd []string
    IpcMode string
    Cgroup string
    Links []string
    OomScoreAdj int
    PidMode string
    Privileged bool
    PublishAllPorts bool
    ReadonlyRootfs bool
    SecurityOpt []string
    StorageOpt map[string]string omitempty
    Tmpfs map[string]string omitempty
    UTSMode string
    UsernsMode string
    ShmSize int64
    Sysctls map[string]string omitempty
    Runtime string omitempty
    Isolation string
    embed container.Resources
    Mounts []mount.Mount omitempty
    MaskedPaths []string
    ReadonlyPaths []string
    Init *bool omitempty

container.LogConfig
    Type string
    Config map[string]string

container.RestartPolicy
    Name string
    MaximumRetryCount int

container.Resources
    CPUShares int64 json=CpuShares
    Memory int64
    NanoCPUs int64 json=NanoCpus
    CgroupParent string
    BlkioWeight uint16
    BlkioWeightDevice []*blkiodev.WeightDevice
    BlkioDeviceReadBps []*blkiodev.ThrottleDevice
    BlkioDeviceWriteBps []*blkiodev.ThrottleDevice
    BlkioDeviceReadIOps []*blkiodev.ThrottleDevice
    BlkioDeviceWriteIOps []*blkiodev.ThrottleDevice
    CPUPeriod int64 json=CpuPeriod
    CPUQuota int64 json=CpuQuota
    CPURealtimePeriod int64 json=CpuRealtimePeriod
    CPURealtimeRuntime int64 json=CpuRealtimeRuntime
    CpusetCpus string
    CpusetMems string
    Devices []container.DeviceMapping
    DeviceCgroupRules []string
    DeviceRequests []container.DeviceRequest
    KernelMemory int64 omitempty
    KernelMemoryTCP int64 omitempty
    MemoryReservation int64
    MemorySwap int64
    MemorySwappiness *int64
    OomKillDisable *bool
    PidsLimit *int64
    Ulimits []*units.Ulimit
    CPUCount int64 json=CpuCount
    CPUPercent int64 json=CpuPercent
    IOMaximumIOps uint64
    IOMaximumBandwidth uint64

blkiodev.WeightDevice
    Path string
    Weight uint16

blkiodev.ThrottleDevice
    Path string
    Rate uint64

container.DeviceMapping
    PathOnHost string
    PathInContainer string
    CgroupPermissions string

container.DeviceRequest
    Driver string
    Count int
    DeviceIDs []string
    Capabilities [][]string
    Options map[string]string

units.Ulimit
    Name string
    Hard int64
    Soft int64

mount.Mount
    Type string omitempty
    Source string omitempty
    Target string omitempty
    ReadOnly bool omitempty
    Consistency string omitempty
    BindOptions *mount.BindOptions omitempty
    VolumeOptions *mount.VolumeOptions omitempty
    ImageOptions *mount.ImageOptions omitempty
    TmpfsOptions *mount.TmpfsOptions omitempty
    ClusterOptions *mount.ClusterOptions omitempty

mount.BindOptions
    Propagation string omitempty
    NonRecursive bool omitempty
    CreateMountpoint bool omitempty
    ReadOnlyNonRecursive bool omitempty
    ReadOnlyForceRecursive bool omitempty

mount.VolumeOptions
    NoCopy bool omitempty
    Labels map[string]string omitempty
    Subpath string omitempty
    DriverConfig *mount.Driver omitempty

mount.Driver
    Name string omitempty
    Options map[string]string omitempty

mount.ImageOptions
    Subpath string omitempty

mount.TmpfsOptions
    SizeBytes int64 omitempty
    Mode fs.FileMode omitempty
    Options [][]string omitempty

mount.ClusterOptions

v1.Descriptor
    MediaType string json=mediaType
    Digest string json=digest
    Size int64 json=size
    URLs []string json=urls omitempty
    Annotations map[string]string json=annotations omitempty
    Data []string json=data omitempty
    Platform *v1.Platform json=platform omitempty
    ArtifactType string json=artifactType omitempty

v1.Platform
    Architecture string json=architecture
    OS string json=os
    OSVersion string json=os.version omitempty
    OSFeatures []string json=os.features omitempty
    Variant string json=variant omitempty

volume.Volume
    ClusterVolume *volume.ClusterVolume omitempty
    CreatedAt string omitempty
    Driver string
    Labels map[string]string
    Mountpoint string
    Name string
    Options map[string]string
    Scope string
    Status map[string]any omitempty
    UsageData *volume.UsageData omitempty

volume.UsageData
    RefCount int64
    Size int64

network.Inspect
    Name string
    ID string json=Id
    Created time.Time
    Scope string
    Driver string
    EnableIPv4 bool
    EnableIPv6 bool
    IPAM network.IPAM
    Internal bool
    Attachable bool
    Ingress bool
    ConfigFrom network.ConfigReference
    ConfigOnly bool
    Containers map[string]network.EndpointResource
    Options map[string]string
    Labels map[string]string
    Peers []network.PeerInfo omitempty
    Services map[string]network.ServiceInfo omitempty

network.IPAM
    Driver string
    Options map[string]string
    Config []network.IPAMConfig

network.IPAMConfig
    Subnet string omitempty
    IPRange string omitempty
    Gateway string omitempty
    AuxAddress map[string]string json=AuxiliaryAddresses omitempty

network.ConfigReference
    Network string

network.EndpointResource
    Name string
    EndpointID string
    MacAddress string
    IPv4Address string
    IPv6Address string

network.PeerInfo
    Name string
    IP string

network.ServiceInfo
    VIP string
    Ports []string
    LocalLBIndex int
    Tasks []network.Task

network.Task
    Name string
    EndpointID string
    EndpointIP string
    Info map[string]string

events.Message
    Status string json=status omitempty
    ID string json=id omitempty
    From string json=from omitempty
    Type string
    Action string
    Actor events.Actor
    Scope string json=scope omitempty
    Time int64 json=time omitempty
    TimeNano int64 json=timeNano omitempty

events.Actor
    ID string
    Attributes map[string]string

image.InspectResponse
    ID string json=Id
    RepoTags []string
    RepoDigests []string
    Parent string
    Comment string
    Created string omitempty
    Container string omitempty
    ContainerConfig *container.Config omitempty
    DockerVersion string
    Author string
    Config *v1.DockerOCIImageConfig
    Architecture string
    Variant string omitempty
    Os string
    OsVersion string omitempty
    Size int64
    VirtualSize int64 omitempty
    GraphDriver storage.DriverData
    RootFS image.RootFS
    Metadata image.Metadata
    Descriptor *v1.Descriptor omitempty
    Manifests []image.ManifestSummary omitempty

image.RootFS
    Type string omitempty
    Layers []string omitempty

image.Metadata
    LastTagTime time.Time omitempty

v1.DockerOCIImageConfig
    embed v1.ImageConfig
    embed v1.DockerOCIImageConfigExt

v1.ImageConfig
    User string omitempty
    ExposedPorts map[string]struct{} omitempty
    Env []string omitempty
    Entrypoint []string omitempty
    Cmd []string omitempty
    Volumes map[string]struct{} omitempty
    WorkingDir string omitempty
    Labels map[string]string omitempty
    StopSignal string omitempty
    ArgsEscaped bool omitempty

v1.DockerOCIImageConfigExt
    Healthcheck *v1.HealthcheckConfig omitempty
    OnBuild []string omitempty
    Shell []string omitempty

context.contextWithTLSListing
    embed store.Metadata
    TLSMaterial map[string][]string
    Storage store.StorageInfo

store.Metadata
    Name string
    Metadata interface(command.DockerContext)
    Endpoints map[string]interface(docker.EndpointMeta)

command.DockerContext
    Description string omitempty
    AdditionalFields map[string]any json=-

docker.EndpointMeta
    Host string omitempty
    SkipTLSVerify bool

store.StorageInfo
    MetadataPath string
    TLSPath string
"""

#: Types whose own MarshalJSON calls json.Marshal (HTML-escaping whatever the encoder says).
_OWN_MARSHALLERS = ("command.DockerContext",)

#: Swarm-only types runmagic does not model.
_OPAQUE = ("volume.ClusterVolume", "image.ManifestSummary")

_SCALARS = {
    "string": gv.STRING, "bool": gv.BOOL, "int": gv.INT, "int64": gv.INT64,
    "uint": gv.UINT, "uint16": gv.UINT16, "uint32": gv.UINT32, "uint64": gv.UINT64,
    "float64": gv.FLOAT64, "any": gv.ANY, "time.Time": gv.TIME,
    "time.Duration": gv.DURATION, "fs.FileMode": gv.FILEMODE, "struct{}": gv.EMPTY_STRUCT,
}


def _blocks() -> dict[str, list[str]]:
    blocks: dict[str, list[str]] = {}
    current = None
    for line in _DECLARATIONS.splitlines():
        if not line.strip():
            continue
        if line[0] != " ":
            current = blocks.setdefault(line.strip(), [])
        else:
            current.append(line.strip())
    return blocks


_BLOCKS = _blocks()
_STRUCTS: dict[str, gv.GoType] = {}


def _parse_type(text: str) -> gv.GoType:
    if text in _SCALARS:
        return _SCALARS[text]
    if text.startswith("[]"):
        return gv.slice_of(_parse_type(text[2:]))
    if text.startswith("["):
        length, _, rest = text[1:].partition("]")
        elem = _parse_type(rest)
        return gv.GoType("array", text, elem=elem, length=int(length))
    if text.startswith("map[string]"):
        return gv.map_of(gv.STRING, _parse_type(text[len("map[string]"):]))
    if text.startswith("*"):
        return gv.ptr_to(_parse_type(text[1:]))
    if text.startswith("interface("):  # an interface{} holding a known type
        return gv.GoType("iface", "interface {}", elem=_parse_type(text[len("interface("):-1]))
    return struct(text)


def struct(name: str) -> gv.GoType:
    """The declared struct type ``name`` (e.g. ``container.InspectResponse``)."""
    if name in _STRUCTS:
        return _STRUCTS[name]
    if name in _OPAQUE:
        gotype = gv.GoType("opaque", name)
        _STRUCTS[name] = gotype
        return gotype
    gotype = gv.GoType("struct", name, marshals_escaped=name in _OWN_MARSHALLERS)
    _STRUCTS[name] = gotype  # before the fields, for recursive references
    for line in _BLOCKS[name]:
        words = line.split()
        if words[0] == "embed":
            inner = _parse_type(words[1])
            short = words[1].lstrip("*").rpartition(".")[2]
            gotype.fields.append(gv.StructField(short, short, inner, embedded=True))
            continue
        field_name, type_text, options = words[0], words[1], words[2:]
        json_name = next((o[5:] for o in options if o.startswith("json=")), field_name)
        gotype.fields.append(gv.StructField(
            field_name, json_name, _parse_type(type_text), omitempty="omitempty" in options))
    return gotype


@lru_cache(maxsize=None)
def pointer(name: str) -> gv.GoType:
    """``*name``: what the CLI's inspect commands hand to templates."""
    return gv.ptr_to(struct(name))


CONTAINER = "container.InspectResponse"
VOLUME = "volume.Volume"
NETWORK = "network.Inspect"
EVENT = "events.Message"
IMAGE = "image.InspectResponse"
CONTEXT = "context.contextWithTLSListing"
