<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>Banner</name>
    <message>
        <source>dismiss</source>
        <translation>닫기</translation>
    </message>
</context>
<context>
    <name>BuilderPanel</name>
    <message>
        <source>Preset:</source>
        <translation>프리셋:</translation>
    </message>
    <message>
        <source>Preset network</source>
        <translation>프리셋 네트워크</translation>
    </message>
    <message>
        <source>Add ▾</source>
        <translation>추가 ▾</translation>
    </message>
    <message>
        <source>add a layer after the selected one</source>
        <translation>선택한 층 뒤에 층을 추가합니다</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>delete the selected layer</source>
        <translation>선택한 층을 삭제합니다</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>복제</translation>
    </message>
    <message>
        <source>insert a copy of the selected layer after it</source>
        <translation>선택한 층의 복사본을 그 뒤에 넣습니다</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>위로</translation>
    </message>
    <message>
        <source>move the selected layer up</source>
        <translation>선택한 층을 위로 옮깁니다</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>아래로</translation>
    </message>
    <message>
        <source>move the selected layer down</source>
        <translation>선택한 층을 아래로 옮깁니다</translation>
    </message>
    <message>
        <source>Layers of the network</source>
        <translation>네트워크의 층</translation>
    </message>
    <message>
        <source>Source: {0}
Reported accuracy: {1}</source>
        <translation>출처: {0}
보고된 정확도: {1}</translation>
    </message>
    <message>
        <source>the network loaded now; pick a preset below to replace it</source>
        <translation>지금 불러온 네트워크; 아래에서 프리셋을 고르면 바뀝니다</translation>
    </message>
    <message>
        <source>{0}: pick a preset network to load it (undoable)</source>
        <translation>{0}: 불러올 프리셋 네트워크를 고르세요 (되돌리기 가능)</translation>
    </message>
    <message>
        <source> · dataset: {0}</source>
        <translation> · 데이터셋: {0}</translation>
    </message>
    <message>
        <source>Input {0} · {1} classes</source>
        <translation>입력 {0} · 클래스 {1}개</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt; params</source>
        <translation>파라미터 &lt;b&gt;{0}&lt;/b&gt;개</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt; MACs/image</source>
        <translation>이미지당 MAC &lt;b&gt;{0}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt; activations/image</source>
        <translation>이미지당 활성값 &lt;b&gt;{0}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>{0} buffers</source>
        <translation>버퍼 {0}개</translation>
    </message>
    <message>
        <source>&lt;b&gt;1 error&lt;/b&gt;: fix before training</source>
        <translation>&lt;b&gt;오류 1개&lt;/b&gt;: 학습 전에 고치세요</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0} errors&lt;/b&gt;: fix before training</source>
        <translation>&lt;b&gt;오류 {0}개&lt;/b&gt;: 학습 전에 고치세요</translation>
    </message>
    <message>
        <source>{0} warning(s)</source>
        <translation>경고 {0}개</translation>
    </message>
    <message>
        <source>Load preset {0}</source>
        <translation>프리셋 {0} 불러오기</translation>
    </message>
    <message>
        <source>not reported</source>
        <translation>보고되지 않음</translation>
    </message>
    <message>
        <source>Reported accuracy: {0} on {1}.</source>
        <translation>보고된 정확도: {1}에서 {0}.</translation>
    </message>
    <message>
        <source>{0} layers</source>
        <translation>층 {0}개</translation>
    </message>
</context>
<context>
    <name>CompareDialog</name>
    <message>
        <source>Compare {0} and {1}</source>
        <extracomment>background of a layer row by its change (light tints that read in both schemes&apos; text colours)</extracomment>
        <translation>{0}와(과) {1} 비교</translation>
    </message>
    <message>
        <source>Parameters: {0} has {1:+,} compared with {2}.</source>
        <translation>파라미터: {0}은(는) {2}보다 {1:+,}개</translation>
    </message>
    <message>
        <source>Parameters: the same number in both networks.</source>
        <translation>파라미터: 두 네트워크의 수가 같습니다.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Layers&lt;/b&gt; ({0} → {1})</source>
        <translation>&lt;b&gt;층&lt;/b&gt; ({0} → {1})</translation>
    </message>
    <message>
        <source>added</source>
        <translation>추가됨</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>제거됨</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>변경됨</translation>
    </message>
    <message>
        <source>same</source>
        <translation>같음</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>변경</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>층</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>자세히</translation>
    </message>
    <message>
        <source>&lt;b&gt;Settings that differ&lt;/b&gt;</source>
        <translation>&lt;b&gt;다른 설정&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>The two runs have the same settings.</source>
        <translation>두 실행의 설정이 같습니다.</translation>
    </message>
</context>
<context>
    <name>ConfigForm</name>
    <message>
        <source>Optimizer</source>
        <extracomment>Every setting&apos;s label and tooltip (English in the engine), for the translators; shown through ``_tr``.</extracomment>
        <translation>옵티마이저</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>모멘텀</translation>
    </message>
    <message>
        <source>Nesterov</source>
        <translation>네스테로프</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>가중치 감쇠</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>배치 크기</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>에폭</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>학습률 스케줄</translation>
    </message>
    <message>
        <source>none: constant; step: ×0.1 every third of the run; cosine: smooth decay to 0; onecycle: warm up then decay</source>
        <translation>none: 일정; step: 학습의 1/3마다 ×0.1; cosine: 0까지 부드럽게 감소; onecycle: 워밍업 후 감소</translation>
    </message>
    <message>
        <source>augment training images</source>
        <translation>학습 이미지 증강</translation>
    </message>
    <message>
        <source>random shifts and rotations for digit-like images, random crops and flips for colour photos</source>
        <translation>숫자 같은 이미지는 무작위 이동과 회전, 컬러 사진은 무작위 자르기와 뒤집기</translation>
    </message>
    <message>
        <source>Label smoothing</source>
        <translation>레이블 스무딩</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>시드</translation>
    </message>
    <message>
        <source>shuffle each epoch</source>
        <translation>에폭마다 섞기</translation>
    </message>
    <message>
        <source>off: every epoch sees the training images in the dataset&apos;s own order, like a DataLoader without shuffle=True</source>
        <translation>끄면: 모든 에폭이 학습 이미지를 데이터셋 원래 순서로 봅니다 (shuffle=True 없는 DataLoader처럼)</translation>
    </message>
    <message>
        <source>Normalisation</source>
        <translation>정규화</translation>
    </message>
    <message>
        <source>dataset: (x − the dataset&apos;s mean) / its std; mnist: MNIST&apos;s 0.1307 / 0.3081 whatever the dataset; none: pixels scaled to 0..1 only (ToTensor)</source>
        <translation>dataset: (x − 데이터셋 평균) / 표준편차; mnist: 데이터셋과 관계없이 MNIST의 0.1307 / 0.3081; none: 픽셀을 0..1로만 변환 (ToTensor)</translation>
    </message>
    <message>
        <source>Weight init</source>
        <translation>가중치 초기화</translation>
    </message>
    <message>
        <source>default: PyTorch&apos;s; xavier_*: Glorot, √(6/(in+out)) or √(2/(in+out)); kaiming_*: He for ReLU, √(6/in) or √(2/in) (biases keep PyTorch&apos;s default); normal: N(0, σ) with biases 0</source>
        <translation>default: PyTorch 기본값; xavier_*: Glorot, √(6/(in+out)) 또는 √(2/(in+out)); kaiming_*: ReLU용 He, √(6/in) 또는 √(2/in) (편향은 PyTorch 기본값); normal: N(0, σ), 편향 0</translation>
    </message>
    <message>
        <source>Init σ</source>
        <translation>초기화 σ</translation>
    </message>
    <message>
        <source>Init layers</source>
        <translation>초기화할 층</translation>
    </message>
    <message>
        <source>which layers&apos; weights the initialisation redraws</source>
        <translation>초기화로 가중치를 다시 뽑을 층</translation>
    </message>
    <message>
        <source>record layer statistics</source>
        <translation>층 통계 기록</translation>
    </message>
    <message>
        <source>weight, gradient and activation statistics of every layer on a fixed batch, about 2% of the training time; shown in Layers over time</source>
        <translation>고정된 배치에서 모든 층의 가중치·기울기·활성화 통계 (학습 시간의 약 2%); 시간에 따른 층 탭에 표시</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>장치</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>정밀도</translation>
    </message>
    <message>
        <source>auto: bfloat16 arithmetic where this CPU has native bf16 and a short probe shows it is faster, else float32; weights and optimizer stay float32. CUDA always trains in mixed precision</source>
        <translation>auto: 이 CPU가 bf16을 지원하고 짧은 측정에서 더 빠르면 bfloat16 연산, 아니면 float32; 가중치와 옵티마이저는 float32 유지. CUDA는 항상 혼합 정밀도로 학습</translation>
    </message>
</context>
<context>
    <name>DatasetOffer</name>
    <message>
        <source>Switch</source>
        <translation>바꾸기</translation>
    </message>
    <message>
        <source>keep the current dataset</source>
        <translation>현재 데이터셋 유지</translation>
    </message>
    <message>
        <source>other images</source>
        <translation>다른 이미지</translation>
    </message>
    <message>
        <source>{0} comes from {1}; the training panel is on {2}. Switch to {3}?</source>
        <translation>{0}은(는) {1}에서 왔습니다. 학습 패널은 {2}입니다. {3}(으)로 바꿀까요?</translation>
    </message>
    <message>
        <source>train {0} on {1}</source>
        <translation>{0}을(를) {1}로 학습</translation>
    </message>
</context>
<context>
    <name>Datasets</name>
    <message>
        <source>MNIST (bundled 5,000-digit sample)</source>
        <translation>MNIST (내장 숫자 5,000장 샘플)</translation>
    </message>
    <message>
        <source>5,000 real handwritten digits from the MNIST training set (500 per class), split 4,500 / 500; ships with ConvScope, so it works offline.</source>
        <translation>MNIST 학습 세트의 실제 손글씨 숫자 5,000장 (클래스마다 500장), 4,500 / 500으로 나눔; ConvScope에 들어 있어 오프라인에서도 됩니다.</translation>
    </message>
    <message>
        <source>Fashion-MNIST (bundled 5,500-image sample)</source>
        <translation>Fashion-MNIST (내장 이미지 5,500장 샘플)</translation>
    </message>
    <message>
        <source>5,000 Fashion-MNIST training images (500 per class) and 500 test images (50 per class), a fixed seeded choice; ships with ConvScope, so it works offline.</source>
        <translation>Fashion-MNIST 학습 이미지 5,000장 (클래스마다 500장)과 테스트 이미지 500장 (클래스마다 50장), 시드로 고정한 선택; ConvScope에 들어 있어 오프라인에서도 됩니다.</translation>
    </message>
    <message>
        <source>MNIST</source>
        <translation>MNIST</translation>
    </message>
    <message>
        <source>70,000 handwritten digits 0-9 (60,000 train / 10,000 test), 28x28 grayscale.</source>
        <translation>손글씨 숫자 0–9 70,000장 (학습 60,000 / 테스트 10,000), 28x28 흑백.</translation>
    </message>
    <message>
        <source>Fashion-MNIST</source>
        <translation>Fashion-MNIST</translation>
    </message>
    <message>
        <source>70,000 Zalando product photos in 10 clothing classes (60,000 / 10,000), 28x28 grayscale.</source>
        <translation>옷 10개 클래스의 Zalando 상품 사진 70,000장 (60,000 / 10,000), 28x28 흑백.</translation>
    </message>
    <message>
        <source>Kuzushiji-MNIST</source>
        <translation>Kuzushiji-MNIST</translation>
    </message>
    <message>
        <source>70,000 cursive Japanese hiragana (お き す つ な は ま や れ を; 60,000 / 10,000), 28x28 grayscale.</source>
        <translation>일본어 초서체 히라가나 70,000장 (お き す つ な は ま や れ を; 60,000 / 10,000), 28x28 흑백.</translation>
    </message>
    <message>
        <source>CIFAR-10</source>
        <translation>CIFAR-10</translation>
    </message>
    <message>
        <source>60,000 small colour photos in 10 classes (50,000 / 10,000), 32x32 RGB.</source>
        <translation>10개 클래스의 작은 컬러 사진 60,000장 (50,000 / 10,000), 32x32 RGB.</translation>
    </message>
</context>
<context>
    <name>Document</name>
    <message>
        <source>Architectures (*.json);;All files (*)</source>
        <translation>구조 파일 (*.json);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>ConvScope models (*.safetensors *.convscope);;All files (*)</source>
        <translation>ConvScope 모델 (*.safetensors *.convscope);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>continue</source>
        <extracomment>What &quot;Save before you …?&quot; and &quot;Stop training before opening …&quot; name, translated where shown.</extracomment>
        <translation>계속하기</translation>
    </message>
    <message>
        <source>start a new network</source>
        <translation>새 네트워크를 시작하기</translation>
    </message>
    <message>
        <source>open another network</source>
        <translation>다른 네트워크를 열기</translation>
    </message>
    <message>
        <source>open a model</source>
        <translation>모델을 열기</translation>
    </message>
    <message>
        <source>open another file</source>
        <translation>다른 파일을 열기</translation>
    </message>
    <message>
        <source>quit</source>
        <translation>끝내기</translation>
    </message>
    <message>
        <source>another network</source>
        <translation>다른 네트워크</translation>
    </message>
    <message>
        <source>a model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>the architecture has unsaved changes</source>
        <translation>구조에 저장하지 않은 변경이 있습니다</translation>
    </message>
    <message>
        <source>the trained model has not been saved</source>
        <translation>학습된 모델을 저장하지 않았습니다</translation>
    </message>
    <message>
        <source>Save before you {0}?</source>
        <translation>{0} 전에 저장할까요?</translation>
    </message>
    <message>
        <source>New network (the classic two-block CNN): edit it, then press Start.</source>
        <translation>새 네트워크(고전적인 2블록 CNN): 편집한 뒤 시작을 누르세요.</translation>
    </message>
    <message>
        <source>Stop training before opening {0}.</source>
        <translation>{0}을(를) 열기 전에 학습을 멈추세요.</translation>
    </message>
    <message>
        <source>Open Architecture</source>
        <translation>구조 열기</translation>
    </message>
    <message>
        <source>Cannot open {0}</source>
        <translation>{0}을(를) 열 수 없습니다</translation>
    </message>
    <message>
        <source>Open {0}</source>
        <translation>{0} 열기</translation>
    </message>
    <message>
        <source>{0} expects {1} inputs and {2} classes; the chosen dataset {3} differs: pick a matching dataset or edit the input.</source>
        <translation>{0}은(는) {1} 입력과 클래스 {2}개를 기대하지만 고른 데이터셋 {3}은(는) 다릅니다: 맞는 데이터셋을 고르거나 입력을 편집하세요.</translation>
    </message>
    <message>
        <source>Open Model</source>
        <translation>모델 열기</translation>
    </message>
    <message>
        <source>PyTorch is still loading; open the model again in a moment.</source>
        <translation>PyTorch를 아직 불러오는 중입니다; 잠시 뒤 모델을 다시 여세요.</translation>
    </message>
    <message>
        <source>Nothing was changed: the current network and model are kept.</source>
        <translation>아무것도 바뀌지 않았습니다: 현재 네트워크와 모델을 그대로 둡니다.</translation>
    </message>
    <message>
        <source>Open model {0}</source>
        <translation>모델 {0} 열기</translation>
    </message>
    <message>
        <source>Opened model {0} ({1} epochs, step {2})</source>
        <translation>모델 {0}을(를) 열었습니다 (에폭 {1}, 단계 {2})</translation>
    </message>
    <message>
        <source>Save Architecture</source>
        <translation>구조 저장</translation>
    </message>
    <message>
        <source>Cannot save {0}</source>
        <translation>{0}을(를) 저장할 수 없습니다</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>{0}을(를) 저장했습니다</translation>
    </message>
    <message>
        <source>There is no trained model to save yet</source>
        <translation>아직 저장할 학습된 모델이 없습니다</translation>
    </message>
    <message>
        <source>Train the network (or pause a run) first.</source>
        <translation>먼저 네트워크를 학습하세요 (또는 실행을 일시 정지하세요).</translation>
    </message>
    <message>
        <source>Save Model</source>
        <translation>모델 저장</translation>
    </message>
    <message>
        <source>Saved model {0}</source>
        <translation>모델 {0}을(를) 저장했습니다</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(없음)</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>지우기</translation>
    </message>
</context>
<context>
    <name>DrawCanvas</name>
    <message>
        <source>Draw with the mouse or a pen · Ctrl+Z undoes a stroke · drop an image file here · keyboard: arrows move, Space pen down/up</source>
        <translation>마우스나 펜으로 그리세요 · Ctrl+Z: 획 되돌리기 · 이미지 파일을 여기로 끌어 놓기 · 키보드: 화살표로 이동, Space로 펜 내리기/들기</translation>
    </message>
    <message>
        <source>Drawing canvas</source>
        <translation>그리기 캔버스</translation>
    </message>
    <message>
        <source>Draw a digit. Arrow keys move the pen, Shift+arrow moves further, Space puts the pen down or lifts it, Escape lifts it, Ctrl+Z undoes a stroke.</source>
        <translation>숫자를 그리세요. 화살표 키로 펜을 움직이고, Shift+화살표는 더 멀리 움직이며, Space는 펜을 내리거나 들고, Escape는 펜을 들고, Ctrl+Z는 획을 되돌립니다.</translation>
    </message>
</context>
<context>
    <name>DrawPanel</name>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp);;All files (*)</source>
        <translation>이미지 (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Draw a digit here</source>
        <translation>여기에 숫자를 그리세요</translation>
    </message>
    <message>
        <source>pen width (pixels on a 280-pixel canvas)</source>
        <translation>펜 굵기 (280픽셀 캔버스 기준 픽셀)</translation>
    </message>
    <message>
        <source>Eraser</source>
        <translation>지우개</translation>
    </message>
    <message>
        <source>erase instead of drawing</source>
        <translation>그리는 대신 지웁니다</translation>
    </message>
    <message>
        <source>Undo stroke</source>
        <translation>획 되돌리기</translation>
    </message>
    <message>
        <source>remove the last stroke (Ctrl+Z on the canvas)</source>
        <translation>마지막 획을 지웁니다 (캔버스에서 Ctrl+Z)</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>지우기</translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation>이미지 열기…</translation>
    </message>
    <message>
        <source>classify an image file (or drop one on the canvas)</source>
        <translation>이미지 파일을 분류합니다 (또는 캔버스에 끌어 놓기)</translation>
    </message>
    <message>
        <source>show this test-set sample</source>
        <translation>이 테스트 세트 샘플을 봅니다</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>보기</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>무작위</translation>
    </message>
    <message>
        <source>a random test sample</source>
        <translation>무작위 테스트 샘플</translation>
    </message>
    <message>
        <source>test samples the model gets wrong, most confident first</source>
        <translation>모델이 틀린 테스트 샘플 (가장 확신한 것부터)</translation>
    </message>
    <message>
        <source>Pen</source>
        <translation>펜</translation>
    </message>
    <message>
        <source>Test sample</source>
        <translation>테스트 샘플</translation>
    </message>
    <message>
        <source>This dataset has no samples to show.</source>
        <translation>이 데이터셋에는 보여 줄 샘플이 없습니다.</translation>
    </message>
    <message>
        <source>Test sample #{0}: label {1}</source>
        <translation>테스트 샘플 #{0}: 레이블 {1}</translation>
    </message>
    <message>
        <source>Image {0} ({1}×{2})</source>
        <translation>이미지 {0} ({1}×{2})</translation>
    </message>
    <message>
        <source>Open an image or pick a test sample</source>
        <translation>이미지를 열거나 테스트 샘플을 고르세요</translation>
    </message>
    <message>
        <source>Cannot make an input: {0}</source>
        <translation>입력을 만들 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>Draw a digit on the canvas</source>
        <translation>캔버스에 숫자를 그리세요</translation>
    </message>
    <message>
        <source>Open an image or pick a sample</source>
        <translation>이미지를 열거나 샘플을 고르세요</translation>
    </message>
    <message>
        <source>Cannot classify: {0}</source>
        <translation>분류할 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>Open an image to classify</source>
        <translation>분류할 이미지 열기</translation>
    </message>
</context>
<context>
    <name>ErrorGallery</name>
    <message>
        <source>Test images</source>
        <translation>테스트 이미지</translation>
    </message>
    <message>
        <source>Test images this filter responds to most</source>
        <translation>이 필터가 가장 강하게 반응하는 테스트 이미지</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Cannot look through the test images: {0}</source>
        <translation>테스트 이미지를 살펴볼 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>No test images: load a dataset in Training.</source>
        <translation>테스트 이미지가 없습니다: 학습 패널에서 데이터셋을 불러오세요.</translation>
    </message>
    <message>
        <source>Fix the network&apos;s errors first.</source>
        <translation>먼저 네트워크의 오류를 고치세요.</translation>
    </message>
    <message>
        <source>Classifying {0} test images…</source>
        <translation>테스트 이미지 {0}장 분류 중…</translation>
    </message>
    <message>
        <source>The test split changed: ask again.</source>
        <translation>테스트 분할이 바뀌었습니다: 다시 요청하세요.</translation>
    </message>
    <message>
        <source>Class {0}: {1} mistakes</source>
        <translation>클래스 {0}: 오답 {1}개</translation>
    </message>
    <message>
        <source>True {0} → predicted {1}: {2} test images (right)</source>
        <translation>실제 {0} → 예측 {1}: 테스트 이미지 {2}장 (정답)</translation>
    </message>
    <message>
        <source>True {0} → predicted {1}: {2} test images (wrong)</source>
        <translation>실제 {0} → 예측 {1}: 테스트 이미지 {2}장 (오답)</translation>
    </message>
    <message>
        <source>test image #{0}: true {1} ({2}%), predicted {3} ({4}%)</source>
        <translation>테스트 이미지 #{0}: 실제 {1} ({2}%), 예측 {3} ({4}%)</translation>
    </message>
    <message>
        <source> (the first {0} shown)</source>
        <translation> (처음 {0}개 표시)</translation>
    </message>
    <message>
        <source>{0}, most confident first{1}. Click one to draw it.</source>
        <translation>{0}, 가장 확신한 것부터{1}. 클릭하면 그리기로 보냅니다.</translation>
    </message>
</context>
<context>
    <name>ExplainActions</name>
    <message>
        <source>the drawn digit (28×28)</source>
        <translation>그린 숫자 (28×28)</translation>
    </message>
    <message>
        <source>Pick a conv, pool or activation layer in Feature maps first</source>
        <translation>먼저 특성 맵에서 합성곱층, 풀링층 또는 활성화층을 고르세요</translation>
    </message>
    <message>
        <source>{0} map {1}</source>
        <translation>{0} 맵 {1}</translation>
    </message>
    <message>
        <source>Train or open a model first: its learned kernels come from there</source>
        <translation>먼저 모델을 학습하거나 여세요: 학습된 커널은 모델에서 옵니다</translation>
    </message>
    <message>
        <source>{0} kernel 0 (learned)</source>
        <translation>{0} 커널 0 (학습됨)</translation>
    </message>
</context>
<context>
    <name>Exporter</name>
    <message>
        <source>ONNX (*.onnx)</source>
        <extracomment>format → (file-dialog filter, suffix)</extracomment>
        <translation>ONNX (*.onnx)</translation>
    </message>
    <message>
        <source>PyTorch script (*.py)</source>
        <translation>PyTorch 스크립트 (*.py)</translation>
    </message>
    <message>
        <source>There is no trained model to export: train the network or open a model first.</source>
        <translation>내보낼 학습된 모델이 없습니다: 먼저 네트워크를 학습하거나 모델을 여세요.</translation>
    </message>
    <message>
        <source>Export Model</source>
        <translation>모델 내보내기</translation>
    </message>
    <message>
        <source>There is no trained model to export.</source>
        <translation>내보낼 학습된 모델이 없습니다.</translation>
    </message>
    <message>
        <source> (onnxruntime agrees with PyTorch: largest logit difference {0:.1e})</source>
        <translation> (onnxruntime 결과가 PyTorch와 일치: 최대 로짓 차이 {0:.1e})</translation>
    </message>
    <message>
        <source>Exported {0} as {1}{2}.</source>
        <translation>{0}을(를) {1}(으)로 내보냈습니다{2}.</translation>
    </message>
    <message>
        <source>Export failed: {0}</source>
        <translation>내보내기 실패: {0}</translation>
    </message>
</context>
<context>
    <name>FeatureMapViewer</name>
    <message>
        <source>per layer</source>
        <translation>층마다</translation>
    </message>
    <message>
        <source>per map</source>
        <translation>맵마다</translation>
    </message>
    <message>
        <source>Export feature maps</source>
        <translation>특성 맵 내보내기</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>층</translation>
    </message>
    <message>
        <source>Layer whose output is shown</source>
        <translation>출력을 보여 줄 층</translation>
    </message>
    <message>
        <source>Colour map</source>
        <translation>컬러맵</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>자동</translation>
    </message>
    <message>
        <source>auto: viridis for non-negative outputs, a diverging map (blue &lt; 0 &lt; red) for signed ones (conv, batchnorm, linear)</source>
        <translation>자동: 음이 아닌 출력은 viridis, 부호가 있는 출력(합성곱, 배치 정규화, 완전연결층)은 발산형 맵(파랑 &lt; 0 &lt; 빨강)</translation>
    </message>
    <message>
        <source>Colour scale</source>
        <translation>색 범위</translation>
    </message>
    <message>
        <source>per layer: one colour scale for all maps (compare channels); per map: each map stretched to its own range (see structure)</source>
        <translation>층마다: 모든 맵에 같은 색 범위 (채널 비교); 맵마다: 각 맵을 자기 범위로 늘림 (구조 보기)</translation>
    </message>
    <message>
        <source>Colours</source>
        <translation>색</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>범위</translation>
    </message>
    <message>
        <source>Feature maps of the chosen layer</source>
        <translation>고른 층의 특성 맵</translation>
    </message>
    <message>
        <source>Linear layer outputs as bars</source>
        <translation>완전연결층 출력 (막대)</translation>
    </message>
    <message>
        <source>feature maps</source>
        <translation>특성 맵</translation>
    </message>
    <message>
        <source>latest trained weights</source>
        <translation>최근 학습된 가중치</translation>
    </message>
    <message>
        <source>untrained weights</source>
        <translation>학습되지 않은 가중치</translation>
    </message>
    <message>
        <source>The weights do not fit this network: {0}</source>
        <translation>가중치가 이 네트워크에 맞지 않습니다: {0}</translation>
    </message>
    <message>
        <source>The input is {0} but the network expects {1}.</source>
        <translation>입력은 {0}이지만 네트워크는 {1}을(를) 기대합니다.</translation>
    </message>
    <message>
        <source>Could not compute the feature maps: {0}</source>
        <translation>특성 맵을 계산하지 못했습니다: {0}</translation>
    </message>
    <message>
        <source>No input yet: showing a blank input.</source>
        <translation>아직 입력이 없습니다: 빈 입력을 보여 줍니다.</translation>
    </message>
    <message>
        <source>{0} · map {1}</source>
        <translation>{0} · 맵 {1}</translation>
    </message>
    <message>
        <source> · predicted class {0} ({1})</source>
        <translation> · 예측 클래스 {0} ({1})</translation>
    </message>
    <message>
        <source>{0} · map {1} · row {2}, col {3} · value {4}</source>
        <translation>{0} · 맵 {1} · 행 {2}, 열 {3} · 값 {4}</translation>
    </message>
    <message>
        <source>{0} · unit {1} · value {2}</source>
        <translation>{0} · 유닛 {1} · 값 {2}</translation>
    </message>
</context>
<context>
    <name>FilterCard</name>
    <message>
        <source>Filter card</source>
        <translation>필터 카드</translation>
    </message>
    <message>
        <source>The filter, its input channels and what it responds to</source>
        <translation>필터, 그 입력 채널, 그리고 필터가 반응하는 것</translation>
    </message>
    <message>
        <source>Image patches that excite this filter most</source>
        <translation>이 필터를 가장 강하게 활성화하는 이미지 패치</translation>
    </message>
    <message>
        <source>Top test patches (click one to draw it)</source>
        <translation>상위 테스트 패치 (클릭하면 그리기로 보냄)</translation>
    </message>
    <message>
        <source>{0} · filter {1}</source>
        <translation>{0} · 필터 {1}</translation>
    </message>
    <message>
        <source>{0} has no kernels</source>
        <translation>{0}에는 커널이 없습니다</translation>
    </message>
    <message>
        <source>weights: {0} input channels</source>
        <translation>가중치: 입력 채널 {0}개</translation>
    </message>
    <message>
        <source>no map: {0}</source>
        <translation>맵 없음: {0}</translation>
    </message>
    <message>
        <source>no map for this channel</source>
        <translation>이 채널의 맵이 없습니다</translation>
    </message>
    <message>
        <source>its map for the current input</source>
        <translation>현재 입력에 대한 특성 맵</translation>
    </message>
    <message>
        <source>what it wants to see: computing…</source>
        <translation>이 필터가 보고 싶어 하는 것: 계산 중…</translation>
    </message>
    <message>
        <source>what it wants to see</source>
        <translation>이 필터가 보고 싶어 하는 것</translation>
    </message>
    <message>
        <source>Cannot compute the patches: {0}</source>
        <translation>패치를 계산할 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>Cannot compute the picture: {0}</source>
        <translation>그림을 계산할 수 없습니다: {0}</translation>
    </message>
</context>
<context>
    <name>FilterPanel</name>
    <message>
        <source>Export filter pictures</source>
        <translation>필터 그림 내보내기</translation>
    </message>
    <message>
        <source>Layer and picture shown</source>
        <translation>보여 줄 층과 그림</translation>
    </message>
    <message>
        <source>the conv layer chosen in Kernels, or the output classes</source>
        <translation>커널 보기에서 고른 합성곱층, 또는 출력 클래스</translation>
    </message>
    <message>
        <source>Maximise</source>
        <translation>최대화</translation>
    </message>
    <message>
        <source>optimise an input from noise to excite each channel (a few hundred steps)</source>
        <translation>노이즈에서 시작해 각 채널을 가장 강하게 활성화하는 입력을 최적화합니다 (수백 단계)</translation>
    </message>
    <message>
        <source>Top patches</source>
        <translation>상위 패치</translation>
    </message>
    <message>
        <source>the 9 test patches that excite each filter most (its receptive field)</source>
        <translation>각 필터를 가장 강하게 활성화하는 테스트 패치 9개 (수용 영역)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Filter pictures</source>
        <translation>필터 그림</translation>
    </message>
    <message>
        <source>Image patches that excite the chosen filter</source>
        <translation>고른 필터를 활성화하는 이미지 패치</translation>
    </message>
    <message>
        <source>filters of {0}</source>
        <translation>{0}의 필터</translation>
    </message>
    <message>
        <source>no conv layer</source>
        <translation>합성곱층 없음</translation>
    </message>
    <message>
        <source>No test images to search: load a dataset in Training.</source>
        <translation>찾아볼 테스트 이미지가 없습니다: 학습 패널에서 데이터셋을 불러오세요.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>취소했습니다.</translation>
    </message>
    <message>
        <source>filters</source>
        <translation>필터</translation>
    </message>
    <message>
        <source>output classes ({0})</source>
        <translation>출력 클래스 ({0}개)</translation>
    </message>
    <message>
        <source>Fix the network&apos;s errors to see its filters.</source>
        <translation>필터를 보려면 네트워크의 오류를 고치세요.</translation>
    </message>
    <message>
        <source>This network has no conv layers.</source>
        <translation>이 네트워크에는 합성곱층이 없습니다.</translation>
    </message>
    <message>
        <source>Maximising {0}…</source>
        <translation>{0} 최대화 중…</translation>
    </message>
    <message>
        <source>Searching the test set for {0}…</source>
        <translation>테스트 세트에서 {0} 찾는 중…</translation>
    </message>
    <message>
        <source>the classes</source>
        <translation>클래스</translation>
    </message>
    <message>
        <source>Cannot compute: {0}</source>
        <translation>계산할 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>not computed yet</source>
        <translation>아직 계산하지 않음</translation>
    </message>
    <message>
        <source> · from earlier weights</source>
        <translation> · 이전 가중치 기준</translation>
    </message>
    <message>
        <source>{0}: inputs that excite its {1} classes most</source>
        <translation>{0}: 클래스 {1}개를 가장 강하게 활성화하는 입력</translation>
    </message>
    <message>
        <source>{0}: inputs that excite its {1} channels most</source>
        <translation>{0}: 채널 {1}개를 가장 강하게 활성화하는 입력</translation>
    </message>
    <message>
        <source>Top patches: not computed yet</source>
        <translation>상위 패치: 아직 계산하지 않음</translation>
    </message>
    <message>
        <source>Top patches are for conv filters</source>
        <translation>상위 패치는 합성곱 필터에만 있습니다</translation>
    </message>
    <message>
        <source> (earlier weights)</source>
        <translation> (이전 가중치)</translation>
    </message>
    <message>
        <source>Top {0} test patches of {1} filter {2}{3} — click one to draw it</source>
        <translation>{1} 필터 {2}의 상위 테스트 패치 {0}개{3} — 클릭하면 그리기로 보냄</translation>
    </message>
    <message>
        <source>test image #{0}, activation {1}</source>
        <translation>테스트 이미지 #{0}, 활성값 {1}</translation>
    </message>
</context>
<context>
    <name>FloatEditor</name>
    <message>
        <source>between {0} and {1}</source>
        <translation>{0}에서 {1} 사이</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <source>&amp;Errata in the Notes</source>
        <translation>노트 정오표(&amp;E)</translation>
    </message>
    <message>
        <source>the notes&apos; misprints, corrected and checked live</source>
        <translation>노트의 오류를 바로잡고 실시간으로 확인</translation>
    </message>
</context>
<context>
    <name>KernelViewer</name>
    <message>
        <source>RGB colour</source>
        <translation>RGB 색</translation>
    </message>
    <message>
        <source>one input channel</source>
        <translation>입력 채널 하나</translation>
    </message>
    <message>
        <source>mean over inputs</source>
        <translation>입력 채널 평균</translation>
    </message>
    <message>
        <source>Export kernels</source>
        <translation>커널 내보내기</translation>
    </message>
    <message>
        <source>Conv layer</source>
        <translation>합성곱층</translation>
    </message>
    <message>
        <source>Conv layer whose kernels are shown</source>
        <translation>커널을 보여 줄 합성곱층</translation>
    </message>
    <message>
        <source>Input channels shown</source>
        <translation>보여 줄 입력 채널</translation>
    </message>
    <message>
        <source>RGB colour: a first layer&apos;s 3 input channels as one colour patch (grey = 0); otherwise one input channel at a time, or their mean</source>
        <translation>RGB 색: 첫 층의 입력 채널 3개를 한 색 패치로 (회색 = 0); 아니면 입력 채널 하나씩, 또는 그 평균</translation>
    </message>
    <message>
        <source>Input channel</source>
        <translation>입력 채널</translation>
    </message>
    <message>
        <source>input channel </source>
        <translation>입력 채널 </translation>
    </message>
    <message>
        <source>Colour map</source>
        <translation>컬러맵</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>층</translation>
    </message>
    <message>
        <source>Learned kernels</source>
        <translation>학습된 커널</translation>
    </message>
    <message>
        <source>Hover a kernel for its index, range and norm.</source>
        <translation>커널 위에 마우스를 올리면 번호, 범위, 노름이 보입니다.</translation>
    </message>
    <message>
        <source>kernels</source>
        <translation>커널</translation>
    </message>
    <message>
        <source>This network has no conv layers.</source>
        <translation>이 네트워크에는 합성곱층이 없습니다.</translation>
    </message>
    <message>
        <source>Diff needs two keyframes</source>
        <translation>차이를 보려면 키프레임이 두 개 필요합니다</translation>
    </message>
    <message>
        <source>live · latest weights</source>
        <translation>실시간 · 최신 가중치</translation>
    </message>
    <message>
        <source>untrained weights</source>
        <translation>학습되지 않은 가중치</translation>
    </message>
    <message>
        <source>These weights do not fit {0}: {1}</source>
        <translation>이 가중치는 {0}에 맞지 않습니다: {1}</translation>
    </message>
    <message>
        <source>input channel {0}</source>
        <translation>입력 채널 {0}</translation>
    </message>
    <message>
        <source>{0} · {1} kernels {2}×{3} · {4} · scale ±{5}</source>
        <translation>{0} · 커널 {1}개 {2}×{3} · {4} · 범위 ±{5}</translation>
    </message>
    <message>
        <source>(out {0}, in 0–2)</source>
        <translation>(출력 {0}, 입력 0–2)</translation>
    </message>
    <message>
        <source>(out {0}, mean of inputs)</source>
        <translation>(출력 {0}, 입력 평균)</translation>
    </message>
    <message>
        <source>(out {0}, in {1})</source>
        <translation>(출력 {0}, 입력 {1})</translation>
    </message>
    <message>
        <source>{0} kernel {1} · min {2} · max {3} · L2 {4} · tap ({5}, {6})</source>
        <translation>{0} 커널 {1} · 최소 {2} · 최대 {3} · L2 {4} · 탭 ({5}, {6})</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <source>&amp;Language</source>
        <translation>언어(&amp;L)</translation>
    </message>
    <message>
        <source>System</source>
        <translation>시스템 설정</translation>
    </message>
    <message>
        <source>A new language applies when ConvScope starts again</source>
        <translation>새 언어는 ConvScope를 다시 시작할 때 적용됩니다</translation>
    </message>
    <message>
        <source>(applies after a restart)</source>
        <translation>(다시 시작한 뒤 적용)</translation>
    </message>
    <message>
        <source>The language changes when ConvScope starts again.</source>
        <translation>언어는 ConvScope를 다시 시작하면 바뀝니다.</translation>
    </message>
</context>
<context>
    <name>LayerForm</name>
    <message>
        <source>out channels</source>
        <extracomment>The settings&apos; row labels (their keys with spaces), translated where shown.</extracomment>
        <translation>출력 채널</translation>
    </message>
    <message>
        <source>kernel size</source>
        <translation>커널 크기</translation>
    </message>
    <message>
        <source>stride</source>
        <translation>스트라이드</translation>
    </message>
    <message>
        <source>padding</source>
        <translation>패딩</translation>
    </message>
    <message>
        <source>dilation</source>
        <translation>팽창(dilation)</translation>
    </message>
    <message>
        <source>bias</source>
        <translation>편향</translation>
    </message>
    <message>
        <source>out features</source>
        <translation>출력 특성 수</translation>
    </message>
    <message>
        <source>output size</source>
        <translation>출력 크기</translation>
    </message>
    <message>
        <source>negative slope</source>
        <translation>음수 기울기</translation>
    </message>
    <message>
        <source>eps</source>
        <translation>엡실론(eps)</translation>
    </message>
    <message>
        <source>momentum</source>
        <translation>모멘텀</translation>
    </message>
    <message>
        <source>&lt;i&gt;Select a layer to edit its settings.&lt;/i&gt;</source>
        <translation>&lt;i&gt;설정을 편집할 층을 고르세요.&lt;/i&gt;</translation>
    </message>
    <message>
        <source>Set {0} {1} to {2}</source>
        <translation>{0}의 {1}을(를) {2}(으)로 설정</translation>
    </message>
</context>
<context>
    <name>LayerTree</name>
    <message>
        <source>Layer</source>
        <translation>층</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>출력</translation>
    </message>
    <message>
        <source>Params</source>
        <translation>파라미터</translation>
    </message>
    <message>
        <source>stable layer name</source>
        <extracomment>Header tool tips, one per column.</extracomment>
        <translation>고정된 층 이름</translation>
    </message>
    <message>
        <source>type and key settings (kernel, stride s, padding p); hover a row for all</source>
        <translation>종류와 주요 설정 (커널, 스트라이드 s, 패딩 p); 행 위에 마우스를 올리면 전체 설정</translation>
    </message>
    <message>
        <source>output shape per image (C×H×W or features)</source>
        <translation>이미지당 출력 모양 (C×H×W 또는 특성 수)</translation>
    </message>
    <message>
        <source>learned parameters</source>
        <translation>학습되는 파라미터</translation>
    </message>
    <message>
        <source>multiply–accumulates per image</source>
        <translation>이미지당 곱셈-누산</translation>
    </message>
    <message>
        <source>receptive field in input pixels</source>
        <translation>입력 픽셀 단위 수용 영역</translation>
    </message>
</context>
<context>
    <name>LayersView</name>
    <message>
        <source>Could not measure: {0}</source>
        <extracomment>quantity → (LayerStats field, per &quot;params&quot; or &quot;activations&quot;, log y) histogram kind → (LayerStats histogram field, range field, names)</extracomment>
        <translation>측정할 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>Gradient norm</source>
        <translation>기울기 노름</translation>
    </message>
    <message>
        <source>Update / weight ratio</source>
        <translation>업데이트 / 가중치 비율</translation>
    </message>
    <message>
        <source>Weight norm</source>
        <translation>가중치 노름</translation>
    </message>
    <message>
        <source>Activation mean</source>
        <translation>활성화 평균</translation>
    </message>
    <message>
        <source>Activation std</source>
        <translation>활성화 표준편차</translation>
    </message>
    <message>
        <source>Dead ReLU fraction</source>
        <translation>죽은 ReLU 비율</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>가중치</translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation>기울기</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>활성화</translation>
    </message>
    <message>
        <source>Measure now</source>
        <translation>지금 측정</translation>
    </message>
    <message>
        <source>Statistics of the current weights on {0} test images (no training step: the update ratio stays empty)</source>
        <translation>테스트 이미지 {0}장에서 현재 가중치의 통계 (학습 단계 없음: 업데이트 비율은 비어 있음)</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>열기…</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>저장…</translation>
    </message>
    <message>
        <source>step</source>
        <translation>단계</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>보기:</translation>
    </message>
    <message>
        <source>Histogram of:</source>
        <translation>히스토그램:</translation>
    </message>
    <message>
        <source>Histogram layer</source>
        <translation>히스토그램 층</translation>
    </message>
    <message>
        <source>Layers over time plot</source>
        <translation>시간에 따른 층 그래프</translation>
    </message>
    <message>
        <source>live from training</source>
        <translation>학습 중 실시간</translation>
    </message>
    <message>
        <source>No test images to measure on: load a dataset in the Training panel.</source>
        <translation>측정할 테스트 이미지가 없습니다: 학습 패널에서 데이터셋을 불러오세요.</translation>
    </message>
    <message>
        <source>The dataset&apos;s images do not fit this network&apos;s input.</source>
        <translation>데이터셋의 이미지가 이 네트워크의 입력에 맞지 않습니다.</translation>
    </message>
    <message>
        <source>Measuring…</source>
        <translation>측정하는 중…</translation>
    </message>
    <message>
        <source>measured on the current weights</source>
        <translation>현재 가중치로 측정</translation>
    </message>
    <message>
        <source>measured on the untrained network</source>
        <translation>학습하지 않은 네트워크로 측정</translation>
    </message>
    <message>
        <source>No layer statistics yet. Start training (with “record layer statistics” on), open a statistics file, or press Measure now for the current weights.</source>
        <translation>아직 층 통계가 없습니다. (“층 통계 기록”을 켜고) 학습을 시작하거나, 통계 파일을 열거나, 지금 측정을 눌러 현재 가중치를 측정하세요.</translation>
    </message>
    <message>
        <source>{0} samples ({1}), every one kept: {2:,} bytes each, {3:,.1f} KiB in all</source>
        <translation>샘플 {0}개 ({1}), 모두 보관: 각 {2:,}바이트, 모두 {3:,.1f} KiB</translation>
    </message>
    <message>
        <source>{0} of {1}</source>
        <translation>{1}의 {0}</translation>
    </message>
    <message>
        <source>Colour: log(1 + count) per bin over the fixed range {0:.3g} … {1:.3g}. Latest sample: {2:,} below, {3:,} above the range, {4:,} NaN, {5:,} ±Inf.</source>
        <translation>색: 고정 범위 {0:.3g} … {1:.3g}에서 구간마다 log(1 + 개수). 최근 샘플: 범위 아래 {2:,}, 위 {3:,}, NaN {4:,}, ±Inf {5:,}.</translation>
    </message>
    <message>
        <source>Open layer statistics</source>
        <translation>층 통계 열기</translation>
    </message>
    <message>
        <source>Layer statistics (*.npz)</source>
        <translation>층 통계 (*.npz)</translation>
    </message>
    <message>
        <source>Save layer statistics</source>
        <translation>층 통계 저장</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>{0}을(를) 저장했습니다</translation>
    </message>
    <message>
        <source>Learning rate…</source>
        <translation>학습률…</translation>
    </message>
    <message>
        <source>Change the activation…</source>
        <translation>활성화 함수 바꾸기…</translation>
    </message>
    <message>
        <source>Add BatchNorm…</source>
        <translation>배치 정규화 추가…</translation>
    </message>
    <message>
        <source>Show the setting that helps</source>
        <translation>도움이 되는 설정 보기</translation>
    </message>
    <message>
        <source>… and {0} more</source>
        <translation>… 외 {0}개</translation>
    </message>
    <message>
        <source>Lower the learning rate (try a tenth) and train again.</source>
        <translation>학습률을 낮추고 (1/10로 해 보세요) 다시 학습하세요.</translation>
    </message>
    <message>
        <source>{0}: try LeakyReLU (dead units) or ReLU instead of sigmoid/tanh (vanishing gradients).</source>
        <translation>{0}: sigmoid/tanh 대신 LeakyReLU(죽은 유닛) 또는 ReLU(기울기 소실)를 써 보세요.</translation>
    </message>
    <message>
        <source>Add a BatchNorm layer after {0} (Add menu) so its outputs stay in range.</source>
        <translation>{0} 뒤에 배치 정규화 층을 추가해 (추가 메뉴) 출력이 범위 안에 머물게 하세요.</translation>
    </message>
</context>
<context>
    <name>MainMenus</name>
    <message>
        <source>Follow the System</source>
        <translation>시스템 설정 따르기</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>밝게</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>어둡게</translation>
    </message>
    <message>
        <source>
&lt;h3&gt;Convolution output size&lt;/h3&gt;
&lt;p style=&quot;font-size:large&quot;&gt;&lt;b&gt;O = floor((I − K + 2P) / S) + 1&lt;/b&gt;&lt;/p&gt;
&lt;p&gt;I: input height (or width), K: kernel size, P: padding, S: stride. With dilation d the kernel
covers K&apos; = d·(K − 1) + 1 pixels; use K&apos; for K. Padding &quot;same&quot; (stride 1) keeps O = I.&lt;/p&gt;
&lt;p&gt;Example: a 28×28 input, a 3×3 kernel, padding 1, stride 1 → (28 − 3 + 2) / 1 + 1 = 28.&lt;/p&gt;
&lt;h3&gt;Parameters of a convolution&lt;/h3&gt;
&lt;p style=&quot;font-size:large&quot;&gt;&lt;b&gt;params = K·K·C&lt;sub&gt;in&lt;/sub&gt;·C&lt;sub&gt;out&lt;/sub&gt; + C&lt;sub&gt;out&lt;/sub&gt;&lt;/b&gt;&lt;/p&gt;
&lt;p&gt;One K×K filter per input channel for every output channel, plus one bias per output channel.
Example: 3×3, 1 → 32 channels: 3·3·1·32 + 32 = 320.&lt;/p&gt;
&lt;h3&gt;Pooling&lt;/h3&gt;
&lt;p&gt;Pooling has &lt;b&gt;no parameters&lt;/b&gt; and &lt;b&gt;keeps the number of channels&lt;/b&gt;; only height and width
shrink, by the same formula (a 2×2 window with stride 2 halves them: 28 → 14 → 7).&lt;/p&gt;
&lt;h3&gt;Fully connected (linear)&lt;/h3&gt;
&lt;p&gt;&lt;b&gt;params = in·out + out&lt;/b&gt;. After flatten, in = C·H·W (e.g. 64·7·7 = 3,136).&lt;/p&gt;
&lt;h3&gt;Cost and receptive field&lt;/h3&gt;
&lt;p&gt;MACs of a convolution = K·K·C&lt;sub&gt;in&lt;/sub&gt;·C&lt;sub&gt;out&lt;/sub&gt;·O&lt;sub&gt;h&lt;/sub&gt;·O&lt;sub&gt;w&lt;/sub&gt;.
Receptive field r&lt;sub&gt;out&lt;/sub&gt; = r&lt;sub&gt;in&lt;/sub&gt; + (K&apos; − 1)·j&lt;sub&gt;in&lt;/sub&gt;, and the jump
j&lt;sub&gt;out&lt;/sub&gt; = j&lt;sub&gt;in&lt;/sub&gt;·S.&lt;/p&gt;
</source>
        <translation>
&lt;h3&gt;합성곱 출력 크기&lt;/h3&gt;
&lt;p style=&quot;font-size:large&quot;&gt;&lt;b&gt;O = floor((I − K + 2P) / S) + 1&lt;/b&gt;&lt;/p&gt;
&lt;p&gt;I: 입력 높이(또는 너비), K: 커널 크기, P: 패딩, S: 스트라이드. 팽창(dilation) d가 있으면 커널이
K&apos; = d·(K − 1) + 1 픽셀을 덮으므로 K 대신 K&apos;를 씁니다. 패딩 &quot;same&quot;(스트라이드 1)은 O = I를 유지합니다.&lt;/p&gt;
&lt;p&gt;예: 28×28 입력, 3×3 커널, 패딩 1, 스트라이드 1 → (28 − 3 + 2) / 1 + 1 = 28.&lt;/p&gt;
&lt;h3&gt;합성곱의 파라미터 수&lt;/h3&gt;
&lt;p style=&quot;font-size:large&quot;&gt;&lt;b&gt;파라미터 = K·K·C&lt;sub&gt;in&lt;/sub&gt;·C&lt;sub&gt;out&lt;/sub&gt; + C&lt;sub&gt;out&lt;/sub&gt;&lt;/b&gt;&lt;/p&gt;
&lt;p&gt;출력 채널마다 입력 채널당 K×K 필터 하나, 그리고 출력 채널마다 편향 하나.
예: 3×3, 1 → 32 채널: 3·3·1·32 + 32 = 320.&lt;/p&gt;
&lt;h3&gt;풀링&lt;/h3&gt;
&lt;p&gt;풀링에는 &lt;b&gt;파라미터가 없고&lt;/b&gt; &lt;b&gt;채널 수를 유지&lt;/b&gt;합니다; 같은 공식으로 높이와 너비만
줄어듭니다 (스트라이드 2인 2×2 윈도우는 절반으로: 28 → 14 → 7).&lt;/p&gt;
&lt;h3&gt;완전연결층 (linear)&lt;/h3&gt;
&lt;p&gt;&lt;b&gt;파라미터 = in·out + out&lt;/b&gt;. 평탄화 뒤 in = C·H·W (예: 64·7·7 = 3,136).&lt;/p&gt;
&lt;h3&gt;연산량과 수용 영역&lt;/h3&gt;
&lt;p&gt;합성곱의 MAC = K·K·C&lt;sub&gt;in&lt;/sub&gt;·C&lt;sub&gt;out&lt;/sub&gt;·O&lt;sub&gt;h&lt;/sub&gt;·O&lt;sub&gt;w&lt;/sub&gt;.
수용 영역 r&lt;sub&gt;out&lt;/sub&gt; = r&lt;sub&gt;in&lt;/sub&gt; + (K&apos; − 1)·j&lt;sub&gt;in&lt;/sub&gt;, 그리고 점프
j&lt;sub&gt;out&lt;/sub&gt; = j&lt;sub&gt;in&lt;/sub&gt;·S.&lt;/p&gt;
</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>새로 만들기(&amp;N)</translation>
    </message>
    <message>
        <source>start a new network</source>
        <translation>새 네트워크를 시작하기</translation>
    </message>
    <message>
        <source>&amp;Open Architecture…</source>
        <translation>구조 열기(&amp;O)…</translation>
    </message>
    <message>
        <source>open a network architecture (.json)</source>
        <translation>네트워크 구조(.json)를 엽니다</translation>
    </message>
    <message>
        <source>&amp;Save Architecture</source>
        <translation>구조 저장(&amp;S)</translation>
    </message>
    <message>
        <source>save the network architecture</source>
        <translation>네트워크 구조를 저장합니다</translation>
    </message>
    <message>
        <source>Save Architecture &amp;As…</source>
        <translation>다른 이름으로 구조 저장(&amp;A)…</translation>
    </message>
    <message>
        <source>save the network architecture under a new name</source>
        <translation>네트워크 구조를 새 이름으로 저장합니다</translation>
    </message>
    <message>
        <source>Open &amp;Model…</source>
        <translation>모델 열기(&amp;M)…</translation>
    </message>
    <message>
        <source>open a trained model: architecture, weights and curves</source>
        <translation>학습된 모델을 엽니다: 구조, 가중치, 곡선</translation>
    </message>
    <message>
        <source>Save Mo&amp;del…</source>
        <translation>모델 저장(&amp;D)…</translation>
    </message>
    <message>
        <source>save the trained model (weights, history and settings)</source>
        <translation>학습된 모델을 저장합니다 (가중치, 기록, 설정)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>끝내기(&amp;Q)</translation>
    </message>
    <message>
        <source>quit ConvScope</source>
        <translation>ConvScope를 끝냅니다</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>실행 취소(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>다시 실행(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Formulas</source>
        <translation>공식(&amp;F)</translation>
    </message>
    <message>
        <source>the shape and parameter formulas</source>
        <translation>출력 크기와 파라미터 수 공식</translation>
    </message>
    <message>
        <source>&amp;Getting Started</source>
        <translation>시작하기(&amp;G)</translation>
    </message>
    <message>
        <source>the welcome: three things to try first</source>
        <translation>환영 화면: 먼저 해 볼 세 가지</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>단축키(&amp;K)</translation>
    </message>
    <message>
        <source>every command that has keys, and its keys</source>
        <translation>단축키가 있는 모든 명령과 그 키</translation>
    </message>
    <message>
        <source>click a panel to read what it does and which explainer mode teaches it</source>
        <translation>패널을 클릭하면 그 패널이 하는 일과 이를 가르치는 설명기 모드를 볼 수 있습니다</translation>
    </message>
    <message>
        <source>&amp;About ConvScope</source>
        <translation>ConvScope 정보(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>Recent &amp;Files</source>
        <translation>최근 파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>편집(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <source>Panels</source>
        <translation>패널</translation>
    </message>
    <message>
        <source>&amp;Training</source>
        <translation>학습(&amp;T)</translation>
    </message>
    <message>
        <source>E&amp;xplain</source>
        <translation>설명(&amp;X)</translation>
    </message>
    <message>
        <source>Explain the &amp;Drawn Digit</source>
        <translation>그린 숫자 설명하기(&amp;D)</translation>
    </message>
    <message>
        <source>Explain the Selected &amp;Feature Map</source>
        <translation>선택한 특성 맵 설명하기(&amp;F)</translation>
    </message>
    <message>
        <source>Use a Learned &amp;Kernel</source>
        <translation>학습된 커널 사용하기(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>Colour &amp;Scheme</source>
        <translation>색 구성(&amp;S)</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>기본</translation>
    </message>
    <message>
        <source>Formulas — ConvScope</source>
        <translation>공식 — ConvScope</translation>
    </message>
    <message>
        <source>About {0}</source>
        <translation>{0} 정보</translation>
    </message>
    <message>
        <source>&lt;p&gt;A desktop studio for building, training and looking inside convolutional neural networks.&lt;/p&gt;&lt;p&gt;Qt for Python, pyqtgraph and PyTorch.&lt;/p&gt;</source>
        <translation>&lt;p&gt;합성곱 신경망(CNN)을 만들고, 학습하고, 그 속을 들여다보는 데스크톱 스튜디오.&lt;/p&gt;&lt;p&gt;Qt for Python, pyqtgraph, PyTorch.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Feature maps</source>
        <translation>특성 맵</translation>
    </message>
    <message>
        <source>Kernels</source>
        <translation>커널</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>판단 근거</translation>
    </message>
    <message>
        <source>Training curves</source>
        <translation>학습 곡선</translation>
    </message>
    <message>
        <source>{0} appear once PyTorch has loaded…</source>
        <translation>{0}은(는) PyTorch를 불러오면 나타납니다…</translation>
    </message>
    <message>
        <source>Convolution explainer</source>
        <translation>합성곱 설명기</translation>
    </message>
    <message>
        <source>Why the network decides appears once PyTorch has loaded…</source>
        <translation>네트워크의 판단 근거는 PyTorch를 불러오면 나타납니다…</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>층</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>Draw</source>
        <translation>그리기</translation>
    </message>
    <message>
        <source>show or hide the {0} panel</source>
        <translation>{0} 패널을 보이거나 숨깁니다</translation>
    </message>
    <message>
        <source>Loading PyTorch…</source>
        <translation>PyTorch 불러오는 중…</translation>
    </message>
    <message>
        <source>the device that trains</source>
        <translation>학습하는 장치</translation>
    </message>
    <message>
        <source>torch threads used by the training thread</source>
        <translation>학습 스레드가 쓰는 torch 스레드 수</translation>
    </message>
    <message>
        <source>training images per second</source>
        <translation>초당 학습 이미지 수</translation>
    </message>
    <message>
        <source>Device: {0}</source>
        <translation>장치: {0}</translation>
    </message>
    <message>
        <source>Threads: {0}</source>
        <translation>스레드: {0}</translation>
    </message>
    <message>
        <source>{0} images/s</source>
        <translation>초당 이미지 {0}장</translation>
    </message>
    <message>
        <source>PyTorch unavailable</source>
        <translation>PyTorch 사용 불가</translation>
    </message>
    <message>
        <source>The training engine could not load ({0}). The builder works; training needs PyTorch installed (make setup).</source>
        <translation>학습 엔진을 불러오지 못했습니다 ({0}). 빌더는 작동합니다; 학습에는 PyTorch 설치가 필요합니다 (make setup).</translation>
    </message>
    <message>
        <source>Layers over time</source>
        <translation>시간에 따른 층</translation>
    </message>
    <message>
        <source>Feature space</source>
        <translation>특성 공간</translation>
    </message>
</context>
<context>
    <name>MistakeFinder</name>
    <message>
        <source>Next mistake</source>
        <translation>다음 오답</translation>
    </message>
    <message>
        <source>Finding mistakes…</source>
        <translation>오답 찾는 중…</translation>
    </message>
    <message>
        <source>Cannot look for mistakes: {0}</source>
        <translation>오답을 찾을 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>This dataset has no samples to look through.</source>
        <translation>이 데이터셋에는 살펴볼 샘플이 없습니다.</translation>
    </message>
    <message>
        <source>The model gets every test sample right.</source>
        <translation>모델이 모든 테스트 샘플을 맞힙니다.</translation>
    </message>
</context>
<context>
    <name>NoteCurve</name>
    <message>
        <source>note ({0})</source>
        <translation>노트 ({0})</translation>
    </message>
    <message>
        <source>note ({0}, on the full set)</source>
        <translation>노트 ({0}, 전체 데이터셋)</translation>
    </message>
</context>
<context>
    <name>PairEditor</name>
    <message>
        <source>height</source>
        <translation>높이</translation>
    </message>
    <message>
        <source>width</source>
        <translation>너비</translation>
    </message>
    <message>
        <source>square</source>
        <translation>정사각</translation>
    </message>
    <message>
        <source>keep height and width equal</source>
        <translation>높이와 너비를 같게 유지합니다</translation>
    </message>
    <message>
        <source>same</source>
        <translation>동일 크기</translation>
    </message>
    <message>
        <source>padding &quot;same&quot;: the output keeps the input&apos;s height and width (stride 1 only)</source>
        <translation>패딩 &quot;same&quot;: 출력이 입력의 높이와 너비를 유지합니다 (스트라이드 1일 때만)</translation>
    </message>
    <message>
        <source>= window</source>
        <translation>= 윈도우</translation>
    </message>
    <message>
        <source>step by the window size (the default)</source>
        <translation>윈도우 크기만큼 이동합니다 (기본값)</translation>
    </message>
</context>
<context>
    <name>PredictionView</name>
    <message>
        <source>exactly what the network sees</source>
        <translation>네트워크가 실제로 보는 입력</translation>
    </message>
    <message>
        <source>Network input 28×28</source>
        <translation>네트워크 입력 28×28</translation>
    </message>
    <message>
        <source>Network input {0}×{1}</source>
        <translation>네트워크 입력 {0}×{1}</translation>
    </message>
</context>
<context>
    <name>PresetStatus</name>
    <message>
        <source>Loaded preset {0}: network and training settings from the note</source>
        <translation>프리셋 {0}을(를) 불러왔습니다: 네트워크와 학습 설정은 노트 그대로</translation>
    </message>
    <message>
        <source>Loaded preset {0}: not all from the note; {1}</source>
        <translation>프리셋 {0}을(를) 불러왔습니다: 모두 노트에서 온 것은 아님; {1}</translation>
    </message>
    <message>
        <source>Loaded preset {0}; training settings from its source</source>
        <translation>프리셋 {0}을(를) 불러왔습니다; 학습 설정은 출처에서</translation>
    </message>
</context>
<context>
    <name>ProbabilityBars</name>
    <message>
        <source>Draw a digit on the canvas, open an image or pick a test sample</source>
        <translation>캔버스에 숫자를 그리거나, 이미지를 열거나, 테스트 샘플을 고르세요</translation>
    </message>
</context>
<context>
    <name>ProblemRow</name>
    <message>
        <source>Fix: {0}</source>
        <extracomment>Shorter names in the Settings column (the tool tip spells the type out).</extracomment>
        <translation>고치기: {0}</translation>
    </message>
    <message>
        <source>apply this change (undoable)</source>
        <translation>이 변경을 적용합니다 (되돌리기 가능)</translation>
    </message>
</context>
<context>
    <name>ProjectorView</name>
    <message>
        <source>Could not project: {0}</source>
        <translation>투영할 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>PCA</source>
        <translation>PCA</translation>
    </message>
    <message>
        <source>Project the test images&apos; penultimate-layer features at once</source>
        <translation>테스트 이미지의 끝에서 두 번째 층 특성을 바로 투영</translation>
    </message>
    <message>
        <source>t-SNE</source>
        <translation>t-SNE</translation>
    </message>
    <message>
        <source>A non-linear map of the same features (tens of seconds)</source>
        <translation>같은 특성의 비선형 지도 (수십 초)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Follow latest weights</source>
        <translation>최신 가중치 따라가기</translation>
    </message>
    <message>
        <source>Animate epochs</source>
        <translation>에폭 애니메이션</translation>
    </message>
    <message>
        <source>Feature space plot</source>
        <translation>특성 공간 그래프</translation>
    </message>
    <message>
        <source>No test images: load a dataset in the Training panel.</source>
        <translation>테스트 이미지가 없습니다: 학습 패널에서 데이터셋을 불러오세요.</translation>
    </message>
    <message>
        <source>The dataset&apos;s images do not fit this network&apos;s input.</source>
        <translation>데이터셋의 이미지가 이 네트워크의 입력에 맞지 않습니다.</translation>
    </message>
    <message>
        <source>Fix the network&apos;s errors to see its feature space.</source>
        <translation>특성 공간을 보려면 네트워크의 오류를 고치세요.</translation>
    </message>
    <message>
        <source>Computing features…</source>
        <translation>특성을 계산하는 중…</translation>
    </message>
    <message>
        <source>Press PCA first: t-SNE maps the same features.</source>
        <translation>먼저 PCA를 누르세요: t-SNE는 같은 특성을 씁니다.</translation>
    </message>
    <message>
        <source>t-SNE of {0:,} points…</source>
        <translation>점 {0:,}개의 t-SNE…</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>취소했습니다.</translation>
    </message>
    <message>
        <source>Nothing to animate: epoch keyframes are kept while a run trains in the app (at least two epochs); a model file holds only its final weights.</source>
        <translation>애니메이션할 것이 없습니다: 에폭 키프레임은 앱에서 학습하는 동안만 보관됩니다 (최소 두 에폭); 모델 파일에는 최종 가중치만 있습니다.</translation>
    </message>
    <message>
        <source>Projecting {0} epochs…</source>
        <translation>에폭 {0}개를 투영하는 중…</translation>
    </message>
    <message>
        <source>Epoch {0:g} of {1:g}</source>
        <translation>에폭 {0:g} / {1:g}</translation>
    </message>
    <message>
        <source>No projection yet. Press PCA to place the test images by what the network&apos;s last layer sees (train or open a model first for a meaningful picture).</source>
        <translation>아직 투영이 없습니다. PCA를 눌러 네트워크의 마지막 층이 보는 대로 테스트 이미지를 배치하세요 (의미 있는 그림을 보려면 먼저 학습하거나 모델을 여세요).</translation>
    </message>
    <message>
        <source>{0} of {1:,} test images&apos; penultimate features</source>
        <translation>테스트 이미지 {1:,}장 중 {0}장의 끝에서 두 번째 층 특성</translation>
    </message>
    <message>
        <source>Test image {0}: {1} (click to draw it)</source>
        <translation>테스트 이미지 {0}: {1} (클릭해 그리기 패널로)</translation>
    </message>
</context>
<context>
    <name>RunControl</name>
    <message>
        <source>This run is not recorded ({0}); it trains anyway.</source>
        <translation>이 실행은 기록되지 않습니다 ({0}); 학습은 진행합니다.</translation>
    </message>
    <message>
        <source>There is no model to resume: open one (File → Open Model) or train first.</source>
        <translation>이어서 학습할 모델이 없습니다: 모델을 열거나(파일 → 모델 열기) 먼저 학습하세요.</translation>
    </message>
    <message>
        <source>The network was changed after the model was opened; a resumed run trains the saved network (open the model again).</source>
        <translation>모델을 연 뒤 네트워크가 바뀌었습니다. 이어서 학습하면 저장된 네트워크를 학습합니다 (모델을 다시 여세요).</translation>
    </message>
    <message>
        <source>The chosen dataset does not fit the saved network: choose {0}.</source>
        <translation>고른 데이터셋이 저장된 네트워크에 맞지 않습니다: {0}을(를) 고르세요.</translation>
    </message>
    <message>
        <source>Cannot resume so: {0}</source>
        <translation>이대로는 이어서 학습할 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>Resuming with changes: {0}</source>
        <translation>바뀐 설정으로 이어서 학습: {0}</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>시작하는 중…</translation>
    </message>
    <message>
        <source>Stopping after the current batch…</source>
        <translation>현재 배치 후에 멈추는 중…</translation>
    </message>
</context>
<context>
    <name>RunEvents</name>
    <message>
        <source>Completed</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>중지됨</translation>
    </message>
    <message>
        <source>Diverged</source>
        <translation>발산함</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>{0}: {1:,} training and {2:,} test images, {3} classes ({4})</source>
        <extracomment>controller signal → the slot here that shows it</extracomment>
        <translation>{0}: 학습 이미지 {1:,}장, 테스트 이미지 {2:,}장, 클래스 {3}개 ({4})</translation>
    </message>
    <message>
        <source>{0}: ready ({1}).</source>
        <translation>{0}: 준비됨 ({1}).</translation>
    </message>
    <message>
        <source>{0} is ready: loaded from {1}.</source>
        <translation>{0} 준비됨: {1}에서 불러옴.</translation>
    </message>
    <message>
        <source>Training on {0} with {1} threads: {2:,} images, {3} batches per epoch.</source>
        <translation>{0}에서 스레드 {1}개로 학습: 이미지 {2:,}장, 에폭당 배치 {3}개.</translation>
    </message>
    <message>
        <source>Epoch {0}/{1} · batch {2}/{3} · loss {4:.4f} · {5:,.0f} images/s · ETA {6}</source>
        <translation>에폭 {0}/{1} · 배치 {2}/{3} · 손실 {4:.4f} · 초당 {5:,.0f}장 · 남은 시간 {6}</translation>
    </message>
    <message>
        <source>, test loss {0:.4f}, test accuracy {1:.2%}</source>
        <translation>, 테스트 손실 {0:.4f}, 테스트 정확도 {1:.2%}</translation>
    </message>
    <message>
        <source>Epoch {0}/{1}: train loss {2:.4f}, train accuracy {3:.2%}{4} ({5:.1f} s, {6:,.0f} images/s)</source>
        <translation>에폭 {0}/{1}: 학습 손실 {2:.4f}, 학습 정확도 {3:.2%}{4} ({5:.1f}초, 초당 {6:,.0f}장)</translation>
    </message>
    <message>
        <source>; test accuracy {0:.2%}</source>
        <translation>; 테스트 정확도 {0:.2%}</translation>
    </message>
    <message>
        <source>{0}: {1}{2} ({3:.1f} s, {4:,.0f} images/s).</source>
        <translation>{0}: {1}{2} ({3:.1f}초, 초당 {4:,.0f}장).</translation>
    </message>
    <message>
        <source>Training {0}: {1}</source>
        <translation>학습 {0}: {1}</translation>
    </message>
    <message>
        <source>Training diverged</source>
        <translation>학습이 발산했습니다</translation>
    </message>
    <message>
        <source>Out of memory</source>
        <translation>메모리 부족</translation>
    </message>
    <message>
        <source>The dataset is not available</source>
        <translation>데이터셋을 쓸 수 없습니다</translation>
    </message>
    <message>
        <source>The settings do not fit</source>
        <translation>설정이 맞지 않습니다</translation>
    </message>
    <message>
        <source>Training failed</source>
        <translation>학습 실패</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>오류</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>계속</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <source>Paused. Resume continues, Stop ends the run; Save Model… works now.</source>
        <translation>일시 정지됨. 계속을 누르면 이어지고, 중지하면 실행이 끝납니다. 지금 모델 저장…을 할 수 있습니다.</translation>
    </message>
</context>
<context>
    <name>RunsFeature</name>
    <message>
        <source>Runs</source>
        <translation>실행 기록</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>내보내기(&amp;E)…</translation>
    </message>
    <message>
        <source>export the trained model as ONNX or as a plain PyTorch script</source>
        <translation>학습된 모델을 ONNX 또는 PyTorch 스크립트로 내보내기</translation>
    </message>
    <message>
        <source>Runs &amp;Folder…</source>
        <translation>실행 기록 폴더(&amp;F)…</translation>
    </message>
    <message>
        <source>choose the folder where every training run is recorded</source>
        <translation>모든 학습 실행을 기록할 폴더 고르기</translation>
    </message>
    <message>
        <source>The runs appear once PyTorch has loaded…</source>
        <translation>PyTorch를 불러오면 실행 기록이 나타납니다…</translation>
    </message>
    <message>
        <source>Runs Folder</source>
        <translation>실행 기록 폴더</translation>
    </message>
    <message>
        <source>open a run</source>
        <translation>실행 열기</translation>
    </message>
    <message>
        <source>Cannot open the run</source>
        <translation>실행을 열 수 없습니다</translation>
    </message>
    <message>
        <source>Exporting the model…</source>
        <translation>모델을 내보내는 중…</translation>
    </message>
</context>
<context>
    <name>RunsPanel</name>
    <message>
        <source>Filter runs (name, network, dataset, status…)</source>
        <translation>거르기 (이름, 네트워크, 상태…)</translation>
    </message>
    <message>
        <source>Clear the filter</source>
        <translation>필터 지우기</translation>
    </message>
    <message>
        <source>Filter runs</source>
        <translation>실행 거르기</translation>
    </message>
    <message>
        <source>Refresh Runs</source>
        <translation>실행 기록 새로 고침</translation>
    </message>
    <message>
        <source>Recorded runs</source>
        <translation>기록된 실행</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>열기</translation>
    </message>
    <message>
        <source>restore the run&apos;s network, settings and model</source>
        <translation>실행의 네트워크, 설정, 모델 복원</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>이어서 학습</translation>
    </message>
    <message>
        <source>open the run and continue its training</source>
        <translation>실행을 열고 학습을 이어 가기</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>비교</translation>
    </message>
    <message>
        <source>the two selected runs&apos; layers and settings side by side</source>
        <translation>선택한 두 실행의 층과 설정을 나란히</translation>
    </message>
    <message>
        <source>Notes…</source>
        <translation>메모…</translation>
    </message>
    <message>
        <source>write notes on the selected run</source>
        <translation>선택한 실행에 메모 쓰기</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>삭제…</translation>
    </message>
    <message>
        <source>delete the selected runs (asks first)</source>
        <translation>선택한 실행 삭제 (먼저 묻습니다)</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>새로 고침</translation>
    </message>
    <message>
        <source>read the runs folder again (F5)</source>
        <translation>실행 기록 폴더를 다시 읽기 (F5)</translation>
    </message>
    <message>
        <source>Runs Folder…</source>
        <translation>실행 기록 폴더…</translation>
    </message>
    <message>
        <source>choose the folder where runs are recorded</source>
        <translation>실행을 기록할 폴더 고르기</translation>
    </message>
    <message>
        <source>Folder: {0}</source>
        <translation>폴더: {0}</translation>
    </message>
    <message>
        <source>{0} runs</source>
        <translation>실행 {0}개</translation>
    </message>
    <message>
        <source>Cannot read the runs folder: {0}</source>
        <translation>실행 기록 폴더를 읽을 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>{0} is not overlaid: {1}</source>
        <translation>{0}을(를) 겹쳐 그리지 않았습니다: {1}</translation>
    </message>
    <message>
        <source>Cannot compare: {0}</source>
        <translation>비교할 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>Cannot rename: {0}</source>
        <translation>이름을 바꿀 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>메모</translation>
    </message>
    <message>
        <source>Notes on {0}:</source>
        <translation>{0}에 대한 메모:</translation>
    </message>
    <message>
        <source>Cannot save the notes: {0}</source>
        <translation>메모를 저장할 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>Delete runs</source>
        <translation>실행 삭제</translation>
    </message>
    <message>
        <source>Delete {0} run(s) for good? {1}</source>
        <translation>실행 {0}개를 완전히 삭제할까요? {1}</translation>
    </message>
    <message>
        <source>Cannot delete {0}: {1}</source>
        <translation>{0}을(를) 삭제할 수 없습니다: {1}</translation>
    </message>
</context>
<context>
    <name>RunsTableModel</name>
    <message>
        <source>Name</source>
        <extracomment>the role whose value sorts a column (numbers sort as numbers)</extracomment>
        <translation>이름</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>네트워크</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>데이터셋</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>에폭</translation>
    </message>
    <message>
        <source>Final acc.</source>
        <translation>최종 정확도</translation>
    </message>
    <message>
        <source>Best acc.</source>
        <translation>최고 정확도</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>시간</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>날짜</translation>
    </message>
    <message>
        <source>running</source>
        <extracomment>The recorded runs&apos; statuses (engine/io/runs.py), for the translators.</extracomment>
        <translation>실행 중</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>중지됨</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>발산함</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>중단됨</translation>
    </message>
    <message>
        <source>damaged</source>
        <translation>손상됨</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard Shortcuts — ConvScope</source>
        <translation>단축키 — ConvScope</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>단축키</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>명령</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>키</translation>
    </message>
</context>
<context>
    <name>TimeLapse</name>
    <message>
        <source>epoch {0} · step {1}</source>
        <translation>에폭 {0} · 단계 {1}</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>실시간</translation>
    </message>
    <message>
        <source>Follow the newest weights while training</source>
        <translation>학습 중 최신 가중치를 따라갑니다</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>재생</translation>
    </message>
    <message>
        <source>Play the keyframes as a time-lapse (about 4 frames a second, loops)</source>
        <translation>키프레임을 타임랩스로 재생합니다 (초당 약 4프레임, 반복)</translation>
    </message>
    <message>
        <source>Moment of training shown</source>
        <translation>보여 줄 학습 시점</translation>
    </message>
    <message>
        <source>Keyframes: step 0, early moments of epoch 1, every epoch end</source>
        <translation>키프레임: 0단계, 에폭 1의 초반, 매 에폭 끝</translation>
    </message>
    <message>
        <source>Diff B − A</source>
        <translation>차이 B − A</translation>
    </message>
    <message>
        <source>Moment A</source>
        <translation>시점 A</translation>
    </message>
    <message>
        <source>Moment B</source>
        <translation>시점 B</translation>
    </message>
    <message>
        <source>Moment B (the slider moves B while Diff is on)</source>
        <translation>시점 B (차이를 켜면 슬라이더가 B를 움직입니다)</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <source>Start</source>
        <translation>시작</translation>
    </message>
    <message>
        <source>train the network (Ctrl+Return)</source>
        <translation>네트워크 학습 (Ctrl+Return)</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <source>pause training (Resume continues)</source>
        <translation>학습 일시 정지 (계속을 누르면 이어짐)</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>중지</translation>
    </message>
    <message>
        <source>stop training after the current batch</source>
        <translation>현재 배치 후 학습 중지</translation>
    </message>
    <message>
        <source>Start/Stop training</source>
        <translation>학습 시작/중지</translation>
    </message>
    <message>
        <source>Resume &amp;Saved Run</source>
        <translation>저장된 실행 이어서 학습(&amp;S)</translation>
    </message>
    <message>
        <source>continue the opened model&apos;s training for Epochs more epochs</source>
        <translation>연 모델의 학습을 에폭 칸의 수만큼 더 이어 가기</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>데이터셋</translation>
    </message>
    <message>
        <source>Loading the engine…</source>
        <translation>엔진을 불러오는 중…</translation>
    </message>
    <message>
        <source>Data:</source>
        <translation>데이터:</translation>
    </message>
    <message>
        <source>Dataset folder</source>
        <translation>데이터셋 폴더</translation>
    </message>
    <message>
        <source>default data folder</source>
        <translation>기본 데이터 폴더</translation>
    </message>
    <message>
        <source>where the dataset files are looked for and downloaded to</source>
        <translation>데이터셋 파일을 찾고 내려받는 곳</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>찾아보기…</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>폴더:</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>내려받기</translation>
    </message>
    <message>
        <source>fetch the dataset&apos;s files into the folder (needs the internet)</source>
        <translation>데이터셋 파일을 폴더로 내려받기 (인터넷 필요)</translation>
    </message>
    <message>
        <source>Optimisation</source>
        <translation>최적화</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>실행</translation>
    </message>
    <message>
        <source>Change lr now:</source>
        <translation>지금 학습률 바꾸기:</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>적용</translation>
    </message>
    <message>
        <source>set the learning rate from the next batch on (marked on the curves)</source>
        <translation>다음 배치부터 학습률 적용 (곡선에 표시)</translation>
    </message>
    <message>
        <source>Idle.</source>
        <translation>대기 중.</translation>
    </message>
    <message>
        <source>Your own images (folder)…</source>
        <translation>내 이미지 (폴더)…</translation>
    </message>
    <message>
        <source>{0} &lt;i&gt;({1}, {2} classes)&lt;/i&gt;</source>
        <translation>{0} &lt;i&gt;({1}, 클래스 {2}개)&lt;/i&gt;</translation>
    </message>
    <message>
        <source>Choose an image folder (one sub-folder per class)</source>
        <translation>이미지 폴더 고르기 (클래스마다 하위 폴더 하나)</translation>
    </message>
    <message>
        <source>Images from {0} (loading…)</source>
        <translation>{0}의 이미지 (불러오는 중…)</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>데이터 폴더</translation>
    </message>
</context>
<context>
    <name>TrainingPlots</name>
    <message>
        <source>Loss</source>
        <translation>손실</translation>
    </message>
    <message>
        <source>cross-entropy</source>
        <translation>교차 엔트로피</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>에폭</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>정확도</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>정확도</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>Per-class test accuracy</source>
        <translation>클래스별 테스트 정확도</translation>
    </message>
    <message>
        <source>Confusion (rows: true)</source>
        <translation>혼동 행렬 (행: 정답)</translation>
    </message>
    <message>
        <source>true class</source>
        <translation>정답 클래스</translation>
    </message>
    <message>
        <source>predicted class</source>
        <translation>예측 클래스</translation>
    </message>
    <message>
        <source>counts of test images: row = true class, column = predicted class; colour = share of the row (cividis colour map)</source>
        <translation>테스트 이미지 수: 행 = 정답 클래스, 열 = 예측 클래스; 색 = 행에서의 비율 (cividis 색상표)</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>배치</translation>
    </message>
    <message>
        <source>batch (smoothed)</source>
        <translation>배치 (평활)</translation>
    </message>
    <message>
        <source>train (epoch)</source>
        <translation>학습 (에폭)</translation>
    </message>
    <message>
        <source>test (epoch)</source>
        <translation>테스트 (에폭)</translation>
    </message>
    <message>
        <source>train</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>test</source>
        <translation>테스트</translation>
    </message>
    <message>
        <source>{0} plot</source>
        <translation>{0} 그래프</translation>
    </message>
    <message>
        <source>learning rate changed from {0:g} to {1:g} at step {2}</source>
        <translation>단계 {2}에서 학습률이 {0:g}에서 {1:g}(으)로 바뀜</translation>
    </message>
    <message>
        <source>No training yet: press Start (Ctrl+Return) to train the network.</source>
        <translation>아직 학습하지 않았습니다: 시작(Ctrl+Return)을 눌러 네트워크를 학습하세요.</translation>
    </message>
    <message>
        <source>Preparing the plots…</source>
        <translation>그래프를 준비하는 중…</translation>
    </message>
    <message>
        <source>Training starts…</source>
        <translation>학습을 시작합니다…</translation>
    </message>
    <message>
        <source>, test accuracy {0:.2%}</source>
        <translation>, 테스트 정확도 {0:.2%}</translation>
    </message>
    <message>
        <source>Loaded run: {0} epoch(s){1}. Per-batch curves are not saved in model files; the epoch curves are.</source>
        <translation>불러온 실행: 에폭 {0}개{1}. 모델 파일에는 배치별 곡선은 저장되지 않고 에폭 곡선만 저장됩니다.</translation>
    </message>
    <message>
        <source>This model file holds no training history.</source>
        <translation>이 모델 파일에는 학습 기록이 없습니다.</translation>
    </message>
    <message>
        <source>{0} (test)</source>
        <translation>{0} (테스트)</translation>
    </message>
</context>
<context>
    <name>Viewer</name>
    <message>
        <source>Train or open a model to see predictions</source>
        <translation>예측을 보려면 모델을 학습하거나 여세요</translation>
    </message>
    <message>
        <source>Fix the network&apos;s errors to see its {what}.</source>
        <extracomment>&quot;Fix the network&apos;s errors to see its feature maps.&quot; (what: &quot;feature maps&quot;, &quot;kernels&quot;)</extracomment>
        <translation>{what}을(를) 보려면 네트워크의 오류를 고치세요.</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>내보내기</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>PNG로 내보내기…</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>{0}을(를) 저장했습니다</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <source>&lt;h2&gt;Welcome to ConvScope&lt;/h2&gt;&lt;p&gt;A network is already loaded: &lt;b&gt;seed000&lt;/b&gt;, two convolution blocks and one linear layer, with 5,000 real MNIST digits to learn from. Three things to try:&lt;/p&gt;</source>
        <translation>&lt;h2&gt;ConvScope에 오신 것을 환영합니다&lt;/h2&gt;&lt;p&gt;네트워크가 이미 준비되어 있습니다: &lt;b&gt;seed000&lt;/b&gt;, 합성곱 블록 2개와 완전연결층 1개, 그리고 학습할 실제 MNIST 숫자 5,000장. 먼저 해 볼 세 가지:&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Welcome — ConvScope</source>
        <translation>환영합니다 — ConvScope</translation>
    </message>
    <message>
        <source>1. Train the preset network (Ctrl+Return)</source>
        <translation>1. 프리셋 네트워크 학습하기 (Ctrl+Return)</translation>
    </message>
    <message>
        <source>start training seed000 on the bundled MNIST sample; the curves move live</source>
        <translation>내장된 MNIST 샘플로 seed000 학습을 시작합니다; 곡선이 실시간으로 움직입니다</translation>
    </message>
    <message>
        <source>2. Draw a digit and see the network&apos;s answer</source>
        <translation>2. 숫자를 그리고 네트워크의 답 보기</translation>
    </message>
    <message>
        <source>open the Draw panel with the pen ready</source>
        <translation>펜을 준비한 채 그리기 패널을 엽니다</translation>
    </message>
    <message>
        <source>3. Look at what the filters learned</source>
        <translation>3. 필터가 배운 것 보기</translation>
    </message>
    <message>
        <source>open the Kernels view: every conv layer&apos;s filters, and how they formed</source>
        <translation>커널 보기를 엽니다: 모든 합성곱층의 필터와 그 형성 과정</translation>
    </message>
    <message>
        <source>Don&apos;t show this again (Help → Getting Started brings it back)</source>
        <translation>다시 보지 않기 (도움말 → 시작하기로 다시 볼 수 있음)</translation>
    </message>
</context>
<context>
    <name>WhyFigure</name>
    <message>
        <source>{0} (own scale)</source>
        <translation>{0} (자체 범위)</translation>
    </message>
</context>
<context>
    <name>WhyViewer</name>
    <message>
        <source>The weights are random (untrained network): these maps explain nothing learned yet.</source>
        <translation>가중치가 무작위입니다 (학습되지 않은 네트워크): 이 맵들은 아직 학습된 것을 전혀 설명하지 않습니다.</translation>
    </message>
    <message>
        <source>Sanity check: these maps come from a copy with randomised weights. A map that looks the same as with the real weights does not explain the network (Adebayo et al., 2018).</source>
        <translation>건전성 검사: 이 맵들은 가중치를 무작위로 바꾼 복사본에서 나옵니다. 실제 가중치일 때와 똑같아 보이는 맵은 네트워크를 설명하지 못합니다 (Adebayo et al., 2018).</translation>
    </message>
    <message>
        <source>Draw a digit or pick a test sample: a blank input has nothing to explain.</source>
        <translation>숫자를 그리거나 테스트 샘플을 고르세요: 빈 입력에는 설명할 것이 없습니다.</translation>
    </message>
    <message>
        <source>Export explanation</source>
        <translation>설명 내보내기</translation>
    </message>
    <message>
        <source>Explanations are not available: {0}</source>
        <translation>설명을 사용할 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>Attribution method</source>
        <translation>기여도 방법</translation>
    </message>
    <message>
        <source>Class explained</source>
        <translation>설명할 클래스</translation>
    </message>
    <message>
        <source>the class whose evidence is shown: the predicted one, or any other</source>
        <translation>근거를 보여 줄 클래스: 예측한 클래스 또는 다른 클래스</translation>
    </message>
    <message>
        <source>Grad-CAM layer</source>
        <translation>Grad-CAM 층</translation>
    </message>
    <message>
        <source>Grad-CAM&apos;s layer: conv layers and others with a spatial output</source>
        <translation>Grad-CAM의 층: 합성곱층 및 공간 출력이 있는 층</translation>
    </message>
    <message>
        <source>Occlusion square side</source>
        <translation>가림 정사각형 변</translation>
    </message>
    <message>
        <source>window </source>
        <translation>윈도우 </translation>
    </message>
    <message>
        <source>Occlusion stride</source>
        <translation>가림 스트라이드</translation>
    </message>
    <message>
        <source>stride </source>
        <translation>스트라이드 </translation>
    </message>
    <message>
        <source>occlusion: the grey square&apos;s side and step, in input pixels</source>
        <translation>가림: 회색 정사각형의 변과 이동 간격 (입력 픽셀)</translation>
    </message>
    <message>
        <source>Side by side: all methods</source>
        <translation>나란히: 모든 방법</translation>
    </message>
    <message>
        <source>Sanity check: randomised weights</source>
        <translation>건전성 검사: 무작위 가중치</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Attribution maps over the input</source>
        <translation>입력 위의 기여도 맵</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>방법</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>클래스</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>층</translation>
    </message>
    <message>
        <source>Occlusion</source>
        <translation>가림</translation>
    </message>
    <message>
        <source>Cannot explain: {0}</source>
        <translation>설명할 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>취소했습니다.</translation>
    </message>
    <message>
        <source>input</source>
        <translation>입력</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <source>predicted class</source>
        <translation>예측한 클래스</translation>
    </message>
    <message>
        <source>A network with one class gives it 100% for every input: there is no decision to explain.</source>
        <translation>클래스가 하나인 네트워크는 모든 입력에 100%를 줍니다: 설명할 판단이 없습니다.</translation>
    </message>
    <message>
        <source>Grad-CAM needs a layer with a spatial output (a conv or pooling layer); this network has none. Pick another method.</source>
        <translation>Grad-CAM에는 공간 출력이 있는 층(합성곱층 또는 풀링층)이 필요한데 이 네트워크에는 없습니다. 다른 방법을 고르세요.</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>계산 중…</translation>
    </message>
    <message>
        <source>input · predicted {0} ({1}%)</source>
        <translation>입력 · 예측 {0} ({1}%)</translation>
    </message>
    <message>
        <source>signed: red for, blue against</source>
        <translation>부호 있음: 빨강은 찬성, 파랑은 반대</translation>
    </message>
    <message>
        <source>how much each pixel counts</source>
        <translation>각 픽셀이 얼마나 중요한지</translation>
    </message>
</context>
<context>
    <name>demo</name>
    <message>
        <source>ConvScope · Draw</source>
        <translation>ConvScope · 그리기</translation>
    </message>
    <message>
        <source>ConvScope viewers — seed000 training on the MNIST sample</source>
        <translation>ConvScope 뷰어 — MNIST 샘플로 seed000 학습 중</translation>
    </message>
</context>
<context>
    <name>edits</name>
    <message>
        <source>Add {0}</source>
        <translation>{0} 추가</translation>
    </message>
    <message>
        <source>Delete {0}</source>
        <translation>{0} 삭제</translation>
    </message>
    <message>
        <source>Duplicate {0}</source>
        <translation>{0} 복제</translation>
    </message>
    <message>
        <source>Move {0} up</source>
        <translation>{0} 위로 옮기기</translation>
    </message>
    <message>
        <source>Move {0} down</source>
        <translation>{0} 아래로 옮기기</translation>
    </message>
    <message>
        <source>Move {0} to position {1}</source>
        <translation>{0}을(를) {1}번째로 옮기기</translation>
    </message>
    <message>
        <source>Apply fix: {0}</source>
        <translation>고치기 적용: {0}</translation>
    </message>
    <message>
        <source>Use {0}: input {1}, {2} classes</source>
        <translation>{0} 사용: 입력 {1}, 클래스 {2}개</translation>
    </message>
</context>
<context>
    <name>help</name>
    <message>
        <source>&lt;p&gt;&lt;i&gt;Learn it:&lt;/i&gt; Convolution explainer (Ctrl+4), &lt;b&gt;{mode}&lt;/b&gt; mode — {what}.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;i&gt;배우기:&lt;/i&gt; 합성곱 설명기 (Ctrl+4), &lt;b&gt;{mode}&lt;/b&gt; 모드 — {what}.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>
builder | Layers | Convolution | how kernel, stride and padding give the output size
Your network, one row per layer: its output shape, parameters, multiply-accumulates and receptive field,
recomputed as you type. Pick a preset, add layers from &lt;b&gt;Add&lt;/b&gt;, select a row to edit it, Alt+↑/↓ to
reorder. Mistakes show under their row with a &lt;b&gt;Fix&lt;/b&gt; button.

training | Training | im2col | the matrix product a convolution layer computes each step
The dataset, optimizer, learning rate and schedule; &lt;b&gt;Start&lt;/b&gt; (Ctrl+Return) trains on the CPU or GPU,
&lt;b&gt;Pause&lt;/b&gt; and &lt;b&gt;Stop&lt;/b&gt; keep the weights so far, &lt;b&gt;Change lr now&lt;/b&gt; works while it runs.

draw | Draw | Convolution | Explain → Explain the Drawn Digit runs a filter over it
Draw a digit with the mouse or a pen and see the network&apos;s answer, the exact 28×28 input it receives and
every class&apos;s probability. With the keyboard: click or Tab into the sheet, the &lt;b&gt;arrow keys&lt;/b&gt; move the
pen&apos;s cursor (Shift moves further), &lt;b&gt;Space&lt;/b&gt; puts the pen down or lifts it, &lt;b&gt;Escape&lt;/b&gt; lifts it,
Ctrl+Z undoes a stroke, Tab moves on.

feature_maps | Feature maps | Pooling | how max and average pooling shrink these maps
What every layer outputs for the current input: one small picture per channel, on one colour scale.
Click a map to enlarge it, hover for values.

kernels | Kernels | Multi-channel | how one filter spans every input channel
The filters each conv layer learned, on a symmetric scale (grey is 0). &lt;b&gt;Play&lt;/b&gt; replays how they
formed, &lt;b&gt;Diff B − A&lt;/b&gt; compares two moments of training.

why | Why | Convolution | the weighted sums these maps are built from
Which pixels made the network decide: Grad-CAM, saliency, integrated gradients and occlusion over the
current input, with a sanity check on randomised weights.

explainer | Convolution explainer | Convolution | start here
The course notes&apos; worked examples, step by step on real numbers: → and ← step, Space plays. Modes:
convolution, multi-channel input, max/average pooling and im2col; the output-size formula is written out.

plots | Training curves | im2col | what one training step multiplies
Loss per batch and per epoch, train and test accuracy, the learning rate, per-class accuracy and the
confusion matrix (rows: true class), updated live.
</source>
        <translation>
builder | 층 | 합성곱 | 커널, 스트라이드, 패딩이 출력 크기를 정하는 방식
여러분의 네트워크를 층마다 한 행씩 보여 줍니다: 출력 모양, 파라미터, 곱셈-누산, 수용 영역을 입력하는 대로
다시 계산합니다. 프리셋을 고르고, &lt;b&gt;추가&lt;/b&gt;로 층을 더하고, 행을 골라 편집하고, Alt+↑/↓로 순서를 바꿉니다.
잘못된 곳은 그 행 아래에 &lt;b&gt;고치기&lt;/b&gt; 버튼과 함께 나타납니다.

training | 학습 | im2col | 합성곱층이 매 단계 계산하는 행렬 곱
데이터셋, 옵티마이저, 학습률, 스케줄; &lt;b&gt;시작&lt;/b&gt;(Ctrl+Return)은 CPU나 GPU에서 학습하고,
&lt;b&gt;일시 정지&lt;/b&gt;와 &lt;b&gt;정지&lt;/b&gt;는 그때까지의 가중치를 남기며, &lt;b&gt;학습률 바로 바꾸기&lt;/b&gt;는 실행 중에도 됩니다.

draw | 그리기 | 합성곱 | 설명 → 그린 숫자 설명하기가 그 위로 필터를 훑습니다
마우스나 펜으로 숫자를 그리면 네트워크의 답, 네트워크가 받는 28×28 입력 그대로의 모습, 클래스별 확률이
보입니다. 키보드로는: 캔버스를 클릭하거나 Tab으로 들어가 &lt;b&gt;화살표 키&lt;/b&gt;로 펜 커서를 움직이고
(Shift는 더 멀리), &lt;b&gt;Space&lt;/b&gt;로 펜을 내리거나 들고, &lt;b&gt;Escape&lt;/b&gt;로 펜을 들고,
Ctrl+Z로 획을 되돌리고, Tab으로 넘어갑니다.

feature_maps | 특성 맵 | 풀링 | 최대 풀링과 평균 풀링이 이 맵들을 줄이는 방식
현재 입력에 대해 모든 층이 내는 출력: 채널마다 작은 그림 하나, 한 가지 색 범위로.
맵을 클릭하면 크게 보이고, 마우스를 올리면 값이 보입니다.

kernels | 커널 | 다채널 | 필터 하나가 모든 입력 채널에 걸치는 방식
각 합성곱층이 학습한 필터를 대칭 범위로 보여 줍니다 (회색이 0). &lt;b&gt;재생&lt;/b&gt;은 필터가 만들어진 과정을
다시 보여 주고, &lt;b&gt;차이 B − A&lt;/b&gt;는 학습의 두 시점을 비교합니다.

why | 판단 근거 | 합성곱 | 이 맵들을 이루는 가중합
네트워크가 어떤 픽셀 때문에 그렇게 판단했는지: 현재 입력 위의 Grad-CAM, saliency, integrated gradients,
occlusion, 그리고 무작위 가중치로 하는 건전성 검사.

explainer | 합성곱 설명기 | 합성곱 | 여기서 시작하세요
강의 노트의 예제를 실제 숫자로 한 단계씩: →와 ←로 이동, Space로 재생. 모드:
합성곱, 다채널 입력, 최대/평균 풀링, im2col; 출력 크기 공식을 풀어서 보여 줍니다.

plots | 학습 곡선 | im2col | 학습 한 단계가 곱하는 것
배치와 에폭별 손실, 학습 및 테스트 정확도, 학습률, 클래스별 정확도,
혼동 행렬(행: 실제 클래스)을 실시간으로 갱신합니다.
</translation>
    </message>
</context>
<context>
    <name>palette</name>
    <message>
        <source>Convolution and pooling</source>
        <extracomment>The engine&apos;s palette group titles (engine.model.layers.GROUPS), translated where shown.</extracomment>
        <translation>합성곱과 풀링</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>활성화 함수</translation>
    </message>
    <message>
        <source>Normalisation and regularisation</source>
        <translation>정규화와 규제</translation>
    </message>
    <message>
        <source>Classifier</source>
        <translation>분류기</translation>
    </message>
    <message>
        <source>Add layer</source>
        <translation>층 추가</translation>
    </message>
</context>
<context>
    <name>png_export</name>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 이미지 (*.png)</translation>
    </message>
</context>
<context>
    <name>table</name>
    <message>
        <source>not computed: an earlier layer has an error</source>
        <translation>계산 안 됨: 앞 층에 오류가 있습니다</translation>
    </message>
    <message>
        <source>in {0} → out {1}</source>
        <translation>입력 {0} → 출력 {1}</translation>
    </message>
    <message>
        <source>{0} multiply–accumulates per image</source>
        <translation>이미지당 곱셈-누산 {0}회</translation>
    </message>
    <message>
        <source>{0} parameters</source>
        <translation>파라미터 {0}개</translation>
    </message>
    <message>
        <source> (+ {0} buffer values)</source>
        <translation> (+ 버퍼 값 {0}개)</translation>
    </message>
</context>
</TS>
